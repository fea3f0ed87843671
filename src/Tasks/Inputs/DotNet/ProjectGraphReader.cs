using Microsoft.Build.Evaluation;
using Microsoft.Build.Exceptions;
using Microsoft.Build.Execution;
using Microsoft.Build.Graph;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>
/// Evaluates a project and its ProjectReference closure with MSBuild's static graph (the same evaluation
/// `dotnet build -graph` does) and reduces each project to an <see cref="EvaluatedProject"/>. No restore is needed:
/// nothing here reads project.assets.json.
/// </summary>
internal static class ProjectGraphReader
{
    // Items the compiler reads or publish copies; None and Content count only when they reach the output.
    private static readonly string[] AlwaysRead = ["Compile", "EmbeddedResource", "AdditionalFiles"];
    private static readonly string[] CopiedWhenMarked = ["Content", "None"];

    // Packages whose props set IsTestProject: before a restore on this machine they are not imported yet.
    private static readonly string[] TestPackages = ["Microsoft.NET.Test.Sdk", "MSTest", "xunit.v3", "TUnit"];

    public static IReadOnlyList<EvaluatedProject> Read(string projectFile, IDictionary<string, string> globalProperties, ProjectEvaluations? shared = null) =>
        Read([projectFile], globalProperties, shared);

    /// <summary>
    /// The projects of <paramref name="projectFiles"/> and of their ProjectReference closures, each once. The
    /// <paramref name="shared"/> evaluations (made with the same global properties) keep every project evaluated, and
    /// the parsed SDK files, for the next call: a solution's services reference the same libraries again and again.
    /// </summary>
    public static IReadOnlyList<EvaluatedProject> Read(IReadOnlyCollection<string> projectFiles, IDictionary<string, string> globalProperties, ProjectEvaluations? shared = null)
    {
        using var own = shared is null ? new ProjectEvaluations(globalProperties) : null;
        var evaluations = shared ?? own!;
        ProjectGraph graph;
        try
        {
            graph = new ProjectGraph(projectFiles.Select(f => new ProjectGraphEntryPoint(f, globalProperties)), evaluations.Collection, evaluations.Evaluate);
        }
        catch (Exception e) when (e is InvalidProjectFileException or CircularDependencyException or AggregateException)
        {
            throw new DiagnosticException("ProjectEvaluationFailed", string.Join("', '", projectFiles), Flatten(e));
        }

        var nugetPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        var packageFolders = PackageFolders(graph.EntryPointNodes.Select(n => n.ProjectInstance.GetPropertyValue("NuGetPackageRoot")).Append(nugetPackages));
        return graph.ProjectNodes
            .Where(n => !ShipsInAPackage(n.ProjectInstance.FullPath, packageFolders))
            .GroupBy(n => Path.GetFullPath(n.ProjectInstance.FullPath), StringComparer.Ordinal)
            .Select(nodes => Merge(nodes.Key, nodes.ToList(), nugetPackages))
            .OrderBy(p => p.FullPath, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// A project file inside a NuGet packages folder comes with its package, which the container's restore brings:
    /// no input to copy (Nerdbank.GitVersioning references its PrivateP2PCaching.proj in graph builds).
    /// </summary>
    internal static bool ShipsInAPackage(string projectFile, IReadOnlyList<string> packageFolders)
    {
        var full = Path.GetFullPath(projectFile);
        return packageFolders.Any(f => full.StartsWith(f, StringComparison.Ordinal));
    }

    /// <summary>The packages folders (NuGetPackageRoot, NUGET_PACKAGES, ~/.nuget/packages), full paths ending in a separator.</summary>
    internal static IReadOnlyList<string> PackageFolders(IEnumerable<string?> folders) => folders
        .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"))
        .Where(f => !string.IsNullOrWhiteSpace(f))
        .Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f!)) + Path.DirectorySeparatorChar)
        .Distinct(StringComparer.Ordinal)
        .ToList();

    // A multi-targeting project is an outer build and one inner build per framework: the union of what they read.
    private static EvaluatedProject Merge(string fullPath, IReadOnlyList<ProjectGraphNode> nodes, string? nugetPackages)
    {
        var builds = nodes.Select(n => n.ProjectInstance).ToList();
        var references = nodes.SelectMany(n => n.ProjectReferences).Select(r => Path.GetFullPath(r.ProjectInstance.FullPath))
            .Where(r => r != fullPath).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToList();
        var isTest = builds.Any(b => b.GetPropertyValue("IsTestProject").Equals("true", StringComparison.OrdinalIgnoreCase)
            || b.GetItems("PackageReference").Any(i => TestPackages.Contains(i.EvaluatedInclude, StringComparer.OrdinalIgnoreCase)));
        var folder = Path.GetDirectoryName(fullPath)!;
        var imports = new SortedSet<string>(StringComparer.Ordinal);
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        var outputs = new SortedSet<string>(StringComparer.Ordinal);
        var toolset = new SortedSet<string>(StringComparer.Ordinal);
        var feeds = new SortedSet<string>(StringComparer.Ordinal);
        string? config = null;
        string? lockFile = null;
        foreach (var build in builds)
        {
            imports.UnionWith(build.ImportPaths);
            foreach (var type in AlwaysRead)
            {
                sources.UnionWith(build.GetItems(type).Select(i => i.GetMetadataValue("FullPath")));
            }

            foreach (var type in CopiedWhenMarked)
            {
                sources.UnionWith(build.GetItems(type)
                    .Where(i => IsCopied(i.GetMetadataValue("CopyToPublishDirectory")) || IsCopied(i.GetMetadataValue("CopyToOutputDirectory"))
                        || (type == "Content" && i.GetMetadataValue("CopyToPublishDirectory").Length == 0 && build.GetPropertyValue("UsingMicrosoftNETSdkWeb") == "true"))
                    .Select(i => i.GetMetadataValue("FullPath")));
            }

            AddFile(sources, folder, build.GetPropertyValue("AssemblyOriginatorKeyFile"));
            AddFolder(outputs, folder, build.GetPropertyValue("BaseIntermediateOutputPath"));
            AddFolder(outputs, folder, build.GetPropertyValue("MSBuildProjectExtensionsPath"));
            AddFolder(outputs, folder, build.GetPropertyValue("BaseOutputPath"));
            AddFolder(outputs, folder, build.GetPropertyValue("ArtifactsPath") is { Length: > 0 } && build.GetPropertyValue("UseArtifactsOutput") == "true" ? build.GetPropertyValue("ArtifactsPath") : string.Empty);
            foreach (var name in new[] { "NetCoreRoot", "NetCoreTargetingPackRoot", "MSBuildExtensionsPath", "MSBuildBinPath", "MSBuildSDKsPath", "NuGetPackageRoot", "RestorePackagesPath" })
            {
                AddFolder(toolset, folder, build.GetPropertyValue(name));
            }

            var restoreConfig = build.GetPropertyValue("RestoreConfigFile");
            config ??= restoreConfig.Length > 0 ? Path.GetFullPath(Path.Combine(folder, restoreConfig)) : null;
            var lockPath = build.GetPropertyValue("NuGetLockFilePath");
            lockFile ??= Path.GetFullPath(Path.Combine(folder, lockPath.Length > 0 ? lockPath : "packages.lock.json"));
            foreach (var name in new[] { "RestoreSources", "RestoreAdditionalProjectSources" })
            {
                feeds.UnionWith(Msbuild.PropertyList.Split(build.GetPropertyValue(name)));
            }
        }

        AddFolder(toolset, folder, nugetPackages);
        AddFolder(toolset, folder, Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"));
        return new EvaluatedProject
        {
            FullPath = fullPath,
            Imports = imports.ToList(),
            SourceFiles = sources.Where(s => s.Length > 0).ToList(),
            OutputFolders = outputs.ToList(),
            ToolsetFolders = toolset.ToList(),
            RestoreConfigFile = config,
            LockFile = lockFile,
            FeedFolders = feeds.Select(f => Path.IsPathRooted(f) ? f : Path.GetFullPath(Path.Combine(folder, f))).ToList(),
            IsTestProject = isTest,
            References = references,
        };
    }

    private static bool IsCopied(string value) => value is "Always" or "PreserveNewest" or "IfDifferent";

    private static void AddFile(SortedSet<string> set, string folder, string? path)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            set.Add(Path.GetFullPath(Path.Combine(folder, path)));
        }
    }

    private static void AddFolder(SortedSet<string> set, string folder, string? path)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            set.Add(Path.GetFullPath(Path.Combine(folder, path)).TrimEnd(Path.DirectorySeparatorChar));
        }
    }

    private static string Flatten(Exception e) => e is AggregateException a
        ? string.Join(" ", a.Flatten().InnerExceptions.Select(i => i.Message))
        : e.Message;
}
