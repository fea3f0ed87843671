using System.Collections;
using System.Text;
using System.Text.Json;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>
/// The static graph's answer (<see cref="ProjectGraphReader.Read(string, IDictionary{string, string}, ProjectEvaluations?)"/>)
/// kept across publishes in obj/…/stevedore/project-graph.json: evaluating the closure again costs half a second or more
/// per publish, and on a republish nothing it read has changed. An entry holds only when
/// <list type="bullet">
/// <item>its key is the same: this Stevedore build, the MSBuild that evaluates, the project, the global properties and
/// the environment (every variable is a property to MSBuild);</item>
/// <item>every file the evaluations read is unchanged (the closure's project files and every import, SDK files and
/// restore's nuget.g.props included: time and size);</item>
/// <item>no file came or went in the folders a new file would change the evaluation from: each project's folder and
/// those above it up to the workspace root (Directory.Build.*, Directory.Packages.props, global.json), and the folders
/// of the files compiled from outside the project folders (a glob there).</item>
/// </list>
/// Anything else (a broken file, another format) is a miss; ContainerInputsCache=false bypasses it.
/// </summary>
internal static class ProjectGraphCache
{
    /// <summary>The format of the file this assembly writes.</summary>
    public const int Version = 1;

    /// <summary>The file's name under obj/…/stevedore.</summary>
    public const string FileName = "project-graph.json";

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    // Variables a shell changes between two commands without changing what an evaluation sees.
    private static readonly HashSet<string> VolatileVariables = new(StringComparer.Ordinal) { "_", "OLDPWD", "SHLVL" };

    /// <summary>What the cached graph was evaluated for, as one hash; <paramref name="msbuild"/> is the MSBuild assembly that evaluates.</summary>
    public static string Key(IEnumerable<string> projectFiles, IDictionary<string, string> globalProperties, IDictionary environment, string msbuild)
    {
        var text = new StringBuilder();
        text.Append("format=").Append(Version).Append('\n');
        text.Append("stevedore=").Append(typeof(ProjectGraphCache).Assembly.ManifestModule.ModuleVersionId).Append('\n');
        text.Append("msbuild=").Append(msbuild).Append('|').Append(FileStamp.Of(msbuild)).Append('\n');
        foreach (var project in projectFiles.Select(Path.GetFullPath).Order(StringComparer.Ordinal))
        {
            text.Append("project=").Append(project).Append('\n');
        }

        text.Append("globals=").Append(ProjectEvaluations.Key(globalProperties)).Append('\n');
        foreach (var (name, value) in environment.Cast<DictionaryEntry>()
                     .Select(e => ((string)e.Key, e.Value as string ?? string.Empty))
                     .Where(e => !VolatileVariables.Contains(e.Item1))
                     .OrderBy(e => e.Item1, StringComparer.Ordinal))
        {
            text.Append("env=").Append(name).Append('=').Append(value).Append('\n');
        }

        return Files.TextHash.Sha256Hex(text.ToString());
    }

    /// <summary>The cached graph when <paramref name="file"/> holds one for <paramref name="key"/> and nothing it read changed; else null.</summary>
    public static IReadOnlyList<EvaluatedProject>? Load(string file, string key)
    {
        Entry? entry;
        try
        {
            if (!File.Exists(file))
            {
                return null;
            }

            entry = JsonSerializer.Deserialize<Entry>(File.ReadAllText(file), Options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }

        if (entry is null || entry.Version != Version || entry.Key != key || entry.Projects.Count == 0)
        {
            return null;
        }

        return entry.Files.All(s => FileStamp.Of(s.Path) == s.Stamp) && entry.Folders.All(s => FolderStamp(s.Path) == s.Stamp)
            ? entry.Projects
            : null;
    }

    /// <summary>
    /// Keeps <paramref name="closure"/> for <paramref name="key"/>, unless a file it read changed after
    /// <paramref name="evaluationStarted"/> (the graph might then describe neither version).
    /// </summary>
    public static void Save(string file, string key, IReadOnlyList<EvaluatedProject> closure, DateTime evaluationStarted)
    {
        // Made before the folders are stamped: obj/ appearing in a project folder is no change of its inputs.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var files = WatchedFiles(closure).Select(p => new Watched(p, FileStamp.Of(p))).ToList();
        var folders = WatchedFolders(closure).Select(p => new Watched(p, FolderStamp(p))).ToList();
        if (files.Select(f => f.Path).Concat(folders.Select(f => f.Path)).Any(p => ChangedSince(p, evaluationStarted)))
        {
            return;
        }

        AtomicFile.Write(file, JsonSerializer.Serialize(new Entry(Version, key, files, folders, closure.ToList()), Options));
    }

    /// <summary>The files an evaluation of <paramref name="closure"/> read: each project file and everything it imported.</summary>
    internal static IEnumerable<string> WatchedFiles(IReadOnlyList<EvaluatedProject> closure) => closure
        .SelectMany(p => p.Imports.Prepend(p.FullPath))
        .Select(Path.GetFullPath)
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal);

    /// <summary>
    /// The folders where a file that comes or goes changes the evaluation: each project's folder and those above it to
    /// the workspace root, and the folders of files compiled or published from outside the project folders.
    /// </summary>
    internal static IEnumerable<string> WatchedFolders(IReadOnlyList<EvaluatedProject> closure) => closure
        .SelectMany(p => RepositoryPaths.UpToWorkspaceRoot(p.Folder)
            .Concat(p.SourceFiles.Where(s => !RepositoryPaths.IsInside(s, p.Folder)).Select(s => Path.GetDirectoryName(Path.GetFullPath(s))!)))
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal);

    internal static string FolderStamp(string path)
    {
        var info = new DirectoryInfo(path);
        return info.Exists ? info.LastWriteTimeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing";
    }

    private static bool ChangedSince(string path, DateTime started)
    {
        var info = new FileInfo(path);
        var written = info.Exists ? info.LastWriteTimeUtc : Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        return written >= started;
    }

    private sealed record Watched(string Path, string Stamp);

    private sealed record Entry(int Version, string Key, List<Watched> Files, List<Watched> Folders, List<EvaluatedProject> Projects);
}
