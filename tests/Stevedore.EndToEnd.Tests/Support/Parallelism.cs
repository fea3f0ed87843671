// Two test classes at a time: each class publishes its own copy of a sample under its own tag (and own registry, engine
// or builder where it needs one), so two classes share only the engine's build cache, which only ever grows while they
// run. A class that changes what every build on the engine sees (empties the build cache, stops the engine,
// unregisters QEMU, loads the engine on purpose) is [EngineWide]: MSTest runs [DoNotParallelize] classes one at a time
// after the parallel ones, and eng/test.sh runs the EngineWide category only once every other test project is done.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]
