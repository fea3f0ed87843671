// Every test publishes its own throw-away repository under artifacts/tmp, with its own obj/ and binlog; NuGet locks
// the shared packages folder itself. Two at a time keep both cores of a CI runner busy through MSBuild's start-up,
// evaluation and restore, which are single-threaded per publish.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.MethodLevel)]
