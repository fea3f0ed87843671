using System.Xml.Linq;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>
/// The exact inputs of a .NET project's container build, from MSBuild's own evaluation of the project and its
/// ProjectReference closure (<see cref="EvaluatedProject"/>), nothing guessed from folder names:
/// <list type="bullet">
/// <item>restore inputs: the closure's project files, every file they import from inside the repository
/// (Directory.Build.*, Directory.Packages.props, eng/Versions.props…), the nuget.configs NuGet reads and the local
/// feeds they name, global.json and lock files;</item>
/// <item>source inputs: each closure project's folder, and the files it compiles or publishes from outside it.</item>
/// </list>
/// The build context is the narrowest folder holding them all; an input outside the repository is STV1022.
/// </summary>
internal sealed class ProjectInputs
{
    private ProjectInputs(string contextRoot, string projectRelativePath, IReadOnlyList<RestoreInput> restore,
        IReadOnlyList<string> sourceFolders, IReadOnlyList<string> sourceFiles, IReadOnlyList<(string Feed, string Config)> unreachableFeeds)
    {
        ContextRoot = contextRoot;
        ProjectRelativePath = projectRelativePath;
        RestoreInputs = restore;
        SourceFolders = sourceFolders;
        SourceFiles = sourceFiles;
        UnreachableFeeds = unreachableFeeds;
    }

    /// <summary>Full path of the build context, without a trailing separator.</summary>
    public string ContextRoot { get; }

    /// <summary>The published project, relative to <see cref="ContextRoot"/>, forward-slashed.</summary>
    public string ProjectRelativePath { get; }

    /// <summary>Restore inputs in COPY order: by kind, then by relative path (ordinal), so output is deterministic.</summary>
    public IReadOnlyList<RestoreInput> RestoreInputs { get; }

    /// <summary>The closure's project folders relative to the context, each ending in '/', none inside another; ordinal order.</summary>
    public IReadOnlyList<string> SourceFolders { get; }

    /// <summary>Files compiled or published from outside every source folder, relative to the context; ordinal order.</summary>
    public IReadOnlyList<string> SourceFiles { get; }

    /// <summary>Local feeds that cannot travel with the context (STV1006 warnings).</summary>
    public IReadOnlyList<(string Feed, string Config)> UnreachableFeeds { get; }

    public static ProjectInputs Compute(string projectFile, IReadOnlyCollection<EvaluatedProject> closure)
    {
        projectFile = Path.GetFullPath(projectFile);
        var projectFolder = Path.GetDirectoryName(projectFile)!;
        var repository = RepositoryPaths.RepositoryRoot(projectFolder);
        var restore = new Dictionary<string, RestoreInputKind>(StringComparer.Ordinal);
        var unreachable = new List<(string, string)>();
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        var folders = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var project in closure.OrderBy(p => p.FullPath, StringComparer.Ordinal))
        {
            CheckInside(project.FullPath, "a project of the ProjectReference closure of " + projectFile, repository);
            restore[project.FullPath] = RestoreInputKind.Project;
            folders.Add(project.Folder);
            foreach (var import in project.Imports.Select(Path.GetFullPath))
            {
                if (!IsProvided(import, project))
                {
                    CheckInside(import, "imported by " + project.FullPath, repository);
                    restore.TryAdd(import, RestoreInput.KindOfImport(import));
                }
            }

            foreach (var file in project.SourceFiles.Select(Path.GetFullPath))
            {
                if (!IsProvided(file, project) && !RepositoryPaths.IsInside(file, project.Folder) && File.Exists(file))
                {
                    CheckInside(file, "compiled or published by " + project.FullPath, repository);
                    sources.Add(file);
                }
            }

            if (project.LockFile is { } lockFile && File.Exists(lockFile))
            {
                restore.TryAdd(Path.GetFullPath(lockFile), RestoreInputKind.PackagesLock);
            }

            var configs = project.RestoreConfigFile is { Length: > 0 } explicitConfig
                ? [Path.GetFullPath(explicitConfig)]
                : RepositoryPaths.UpToWorkspaceRoot(project.Folder).SelectMany(NuGetConfigsIn);
            foreach (var config in configs.Where(File.Exists))
            {
                if (restore.TryAdd(config, RestoreInputKind.NuGetConfig))
                {
                    foreach (var feed in LocalFeeds(config))
                    {
                        AddFeed(restore, unreachable, feed, config, repository);
                    }
                }
            }

            foreach (var feed in project.FeedFolders.Where(f => !IsProvided(f, project)))
            {
                AddFeed(restore, unreachable, feed, project.FullPath, repository);
            }

            // The compiler reads every .editorconfig from the project's folder up: analyzer severities can fail a build.
            foreach (var folder in RepositoryPaths.UpToWorkspaceRoot(project.Folder).Skip(1))
            {
                var editorConfig = Path.Combine(folder, ".editorconfig");
                if (File.Exists(editorConfig) && (repository is null || RepositoryPaths.IsInside(editorConfig, repository)))
                {
                    sources.Add(editorConfig);
                }
            }
        }

        // The SDK resolves global.json (and msbuild-sdks) from the published project's folder up.
        var globalJson = RepositoryPaths.UpToWorkspaceRoot(projectFolder).Select(f => Path.Combine(f, "global.json")).FirstOrDefault(File.Exists);
        if (globalJson is not null)
        {
            restore.TryAdd(globalJson, RestoreInputKind.GlobalJson);
        }

        var sourceFolders = RepositoryPaths.TopmostFolders(folders);
        var looseFiles = sources.Where(f => !sourceFolders.Any(folder => RepositoryPaths.IsInside(f, folder))).ToList();
        var root = RepositoryPaths.CommonAncestor(
            restore.Keys.Select(p => p.EndsWith(Path.DirectorySeparatorChar) ? p.TrimEnd(Path.DirectorySeparatorChar) : Path.GetDirectoryName(p)!)
                .Concat(sourceFolders)
                .Concat(looseFiles.Select(f => Path.GetDirectoryName(f)!)));
        return new ProjectInputs(
            root,
            RepositoryPaths.Relative(root, projectFile),
            restore.Select(p => new RestoreInput(p.Value, p.Key.TrimEnd(Path.DirectorySeparatorChar), RepositoryPaths.Relative(root, p.Key)))
                .OrderBy(i => i.Kind).ThenBy(i => i.RelativePath, StringComparer.Ordinal).ToList(),
            sourceFolders.Select(f => RepositoryPaths.Relative(root, f + Path.DirectorySeparatorChar)).OrderBy(f => f, StringComparer.Ordinal).ToList(),
            looseFiles.Select(f => RepositoryPaths.Relative(root, f)).OrderBy(f => f, StringComparer.Ordinal).ToList(),
            unreachable);
    }

    /// <summary>Package sources of a nuget.config that are folders rather than URLs.</summary>
    internal static IEnumerable<string> LocalFeeds(string configFile)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Load(configFile);
        }
        catch (System.Xml.XmlException)
        {
            // NuGet reports a broken config itself, with a better message, when restore runs.
            yield break;
        }

        var sources = doc.Root?.Element("packageSources");
        if (sources is null)
        {
            yield break;
        }

        foreach (var add in sources.Elements("add"))
        {
            var value = (string?)add.Attribute("value");
            if (string.IsNullOrWhiteSpace(value) || value.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            yield return value.Replace('\\', '/');
        }
    }

    // NuGet reads one config per folder; any spelling of the name counts (a repository may say NuGet.Config).
    private static IEnumerable<string> NuGetConfigsIn(string folder)
    {
        try
        {
            return Directory.EnumerateFiles(folder)
                .Where(f => Path.GetFileName(f).Equals("nuget.config", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Take(1)
                .ToList();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return [];
        }
    }

    private static void AddFeed(Dictionary<string, RestoreInputKind> restore, List<(string, string)> unreachable, string feed, string namedIn, string? repository)
    {
        if (feed.Contains("://", StringComparison.Ordinal))
        {
            return;
        }

        // NuGet resolves a relative feed against the folder of the config that names it.
        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(namedIn)!, feed));
        if (Path.IsPathRooted(feed) || (repository is not null && !RepositoryPaths.IsInside(full, repository)))
        {
            unreachable.Add((feed, namedIn));
        }
        else if (Directory.Exists(full))
        {
            restore[full.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar] = RestoreInputKind.LocalFeed;
        }
    }

    // The .NET installation, MSBuild, NuGet's packages folder and the build's own output come with the build image or
    // restore in the container; they are never copied.
    private static bool IsProvided(string path, EvaluatedProject project) =>
        project.ToolsetFolders.Concat(project.OutputFolders).Any(folder => folder.Length > 0 && RepositoryPaths.IsInside(path, folder));

    private static void CheckInside(string path, string role, string? repository)
    {
        if (repository is not null && !RepositoryPaths.IsInside(path, repository))
        {
            throw new DiagnosticException("InputOutsideRepository", path, role, repository);
        }
    }

}
