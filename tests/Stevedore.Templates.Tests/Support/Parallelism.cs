// Two test classes at a time: each makes its projects from the templates in folders of its own, publishes under tags of
// its own and installs the templates once per process into a hive of its own (InstalledTemplates); nothing here empties
// the build cache or stops the engine.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.ClassLevel)]
