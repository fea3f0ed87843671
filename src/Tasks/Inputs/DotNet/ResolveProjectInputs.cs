using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>
/// Evaluates the project and its ProjectReference closure with MSBuild's static graph and finds exactly what its
/// container build reads (see <see cref="ProjectInputs"/>): the restore inputs, the source inputs and the build context.
/// </summary>
public sealed class ResolveProjectInputs : Diagnostics.StevedoreTask
{
    /// <summary>The project being published.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>Full path of the build context root (no trailing separator).</summary>
    [Output]
    public string ContextRoot { get; private set; } = string.Empty;

    /// <summary>The project relative to <see cref="ContextRoot"/>, forward-slashed.</summary>
    [Output]
    public string ProjectRelativePath { get; private set; } = string.Empty;

    /// <summary>Restore inputs in COPY order; metadata Kind and RelativePath (forward-slashed, folders end in '/').</summary>
    [Output]
    public ITaskItem[] RestoreInputs { get; private set; } = [];

    /// <summary>Source inputs in COPY order: the closure's folders (RelativePath ends in '/') and files from outside them.</summary>
    [Output]
    public ITaskItem[] SourceInputs { get; private set; } = [];

    /// <summary>
    /// Where the closure's evaluation is kept for the next publish (obj/…/stevedore/project-graph.json, see
    /// <see cref="ProjectGraphCache"/>); empty evaluates every time (ContainerInputsCache=false).
    /// </summary>
    public string? CacheFile { get; set; }

    /// <summary>ContainerRunTests: find the test projects of the app's closure, and their inputs.</summary>
    public bool RunTests { get; set; }

    /// <summary>ContainerTestProject items: the test projects to run instead of those the solutions hold.</summary>
    public ITaskItem[] TestProjectFiles { get; set; } = [];

    /// <summary>The test projects to run (metadata RelativePath), in order; empty unless <see cref="RunTests"/>.</summary>
    [Output]
    public ITaskItem[] TestProjects { get; private set; } = [];

    /// <summary>The test projects' restore inputs that the app's restore does not read (metadata as <see cref="RestoreInputs"/>).</summary>
    [Output]
    public ITaskItem[] TestRestoreInputs { get; private set; } = [];

    /// <summary>Every source input the test run needs: the app's closure and the test projects' (metadata as <see cref="SourceInputs"/>).</summary>
    [Output]
    public ITaskItem[] TestSourceInputs { get; private set; } = [];

    protected override void Run()
    {
        // The evaluation sees what this build sees: the same global properties (Configuration, -p: values).
        var globals = (BuildEngine as IBuildEngine6)?.GetGlobalProperties() is { } properties
            ? new Dictionary<string, string>(properties, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // One set of evaluations per node and build for the same global properties (a solution's projects): a library
        // the services share is evaluated once, and each evaluation after the first finds the SDK's files parsed.
        // Disposed by MSBuild when the build ends.
        // Made only when something is evaluated: a closure from the cache needs none.
        ProjectEvaluations? Shared() => BuildEngine is IBuildEngine4
            ? Msbuild.BuildScopedCache.GetOrAdd(BuildEngine, "projects|" + ProjectEvaluations.Key(globals),
                () => new ProjectEvaluations(globals))
            : null;
        var closure = ReadClosure(globals, Shared);
        var tests = RunTests ? FindTests(closure, globals, Shared()) : [];
        ProjectInputs? withTests = null;
        if (tests.Count > 0)
        {
            // One context for both: the test projects may sit outside the folder the app alone needs.
            var all = closure.Concat(tests.SelectMany(t => t.Closure)).DistinctBy(p => p.FullPath, StringComparer.Ordinal).ToList();
            withTests = ProjectInputs.Compute(ProjectFile, all);
        }

        var inputs = ProjectInputs.Compute(ProjectFile, closure, withTests?.ContextRoot);
        foreach (var (feed, config) in inputs.UnreachableFeeds)
        {
            Log.LogWarningWithCodeFromResources("FeedOutsideContext", feed, config);
        }

        ContextRoot = inputs.ContextRoot;
        ProjectRelativePath = inputs.ProjectRelativePath;
        RestoreInputs = inputs.RestoreInputs.Select(i => Item(i.FullPath, i.RelativePath, i.Kind.ToString())).ToArray();
        SourceInputs = Sources(inputs);
        Log.LogMessage(MessageImportance.Low, "Stevedore: {0} restore inputs, {1} source inputs from {2} projects; context {3}",
            RestoreInputs.Length, SourceInputs.Length, closure.Count, ContextRoot);
        if (withTests is not null)
        {
            var appInputs = inputs.RestoreInputs.Select(i => i.RelativePath).ToHashSet(StringComparer.Ordinal);
            TestProjects = tests.Select(t => Item(t.Project, RepositoryPaths.Relative(inputs.ContextRoot, t.Project), "Project")).ToArray();
            TestRestoreInputs = withTests.RestoreInputs.Where(i => !appInputs.Contains(i.RelativePath))
                .Select(i => Item(i.FullPath, i.RelativePath, i.Kind.ToString())).ToArray();
            TestSourceInputs = Sources(withTests);
            Log.LogMessage(MessageImportance.Normal, "Stevedore: ContainerRunTests runs {0}", string.Join(", ", TestProjects.Select(t => t.GetMetadata("RelativePath"))));
        }
    }

    // The closure from the previous publish's evaluation when nothing it read changed (ProjectGraphCache), else evaluated.
    private IReadOnlyList<EvaluatedProject> ReadClosure(IDictionary<string, string> globals, Func<ProjectEvaluations?> shared)
    {
        if (string.IsNullOrEmpty(CacheFile))
        {
            return ProjectGraphReader.Read(ProjectFile, globals, shared());
        }

        var key = ProjectGraphCache.Key([ProjectFile], globals, Environment.GetEnvironmentVariables(), typeof(Microsoft.Build.Evaluation.ProjectCollection).Assembly.Location);
        if (ProjectGraphCache.Load(CacheFile, key) is { } cached)
        {
            Log.LogMessage(MessageImportance.Low, "Stevedore: the project graph of {0} is unchanged since {1} was written; not evaluated again", ProjectFile, CacheFile);
            return cached;
        }

        var started = DateTime.UtcNow;
        var closure = ProjectGraphReader.Read(ProjectFile, globals, shared());
        ProjectGraphCache.Save(CacheFile, key, closure, started);
        return closure;
    }

    // The ContainerTestProject items, or the test projects of the solutions above the project that reach its closure;
    // each with the closure it builds.
    private IReadOnlyList<(string Project, IReadOnlyList<EvaluatedProject> Closure)> FindTests(IReadOnlyList<EvaluatedProject> closure, IDictionary<string, string> globals, ProjectEvaluations? shared)
    {
        var projectFolder = Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!;
        var named = TestProjectFiles.Select(t => Path.GetFullPath(Path.Combine(projectFolder, t.ItemSpec))).Distinct(StringComparer.Ordinal).ToList();
        if (named.FirstOrDefault(t => !File.Exists(t)) is { } missing)
        {
            throw new Diagnostics.DiagnosticException("TestProjectNotFound", missing);
        }

        var appPaths = closure.Select(p => p.FullPath).ToList();
        var candidates = named.Count > 0 ? named
            : SolutionProjects.SolutionsAbove(projectFolder).SelectMany(SolutionProjects.In).Distinct(StringComparer.Ordinal).Except(appPaths, StringComparer.Ordinal).ToList();
        if (candidates.Count == 0)
        {
            Log.LogWarningWithCodeFromResources("NoTestProjects", ProjectFile);
            return [];
        }

        // Named test projects are what the user asked for: they must evaluate (STV1023). The solution's other projects
        // are read one by one, so one that cannot evaluate here is skipped with a warning, not the publish's end.
        IReadOnlyList<EvaluatedProject> graph;
        if (named.Count > 0)
        {
            graph = ProjectGraphReader.Read(named, globals, shared);
        }
        else
        {
            using var own = shared is null ? new ProjectEvaluations(globals) : null;
            var (read, skipped) = TestProjectGraph.ReadEach(candidates, c => ProjectGraphReader.Read(c, globals, shared ?? own));
            foreach (var (project, reason) in skipped)
            {
                Log.LogWarningWithCodeFromResources("TestCandidateNotEvaluated", project, reason);
            }

            graph = read;
        }

        var tests = named.Count > 0 ? named : TestProjectGraph.Referencing(graph, appPaths).Select(t => t.FullPath).ToList();
        if (tests.Count == 0)
        {
            Log.LogWarningWithCodeFromResources("NoTestProjects", ProjectFile);
        }

        return tests.Select(t => (t, TestProjectGraph.Closure(graph, [t]))).ToList();
    }

    private static ITaskItem[] Sources(ProjectInputs inputs) => inputs.SourceFolders.Concat(inputs.SourceFiles)
        .Select(r => Item(Path.Combine(inputs.ContextRoot, r), r, r.EndsWith('/') ? "Folder" : "File"))
        .ToArray();

    private static ITaskItem Item(string fullPath, string relativePath, string kind)
    {
        var item = new TaskItem(fullPath);
        item.SetMetadata("Kind", kind);
        item.SetMetadata("RelativePath", relativePath);
        return item;
    }
}
