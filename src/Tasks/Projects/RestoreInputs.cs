using System.Text.Json;
using System.Xml.Linq;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Projects;

/// <summary>
/// The files `dotnet restore` reads for a project and its ProjectReference closure, and the build context
/// root that holds them all (their common ancestor), so the Dockerfile can restore before copying sources.
/// </summary>
public sealed class RestoreInputs
{
    private static readonly string[] NuGetConfigNames = ["nuget.config", "NuGet.config", "NuGet.Config"];

    private RestoreInputs(string contextRoot, string projectRelativePath, IReadOnlyList<RestoreInput> inputs, IReadOnlyList<(string Feed, string Config)> unreachableFeeds)
    {
        ContextRoot = contextRoot;
        ProjectRelativePath = projectRelativePath;
        Inputs = inputs;
        UnreachableFeeds = unreachableFeeds;
    }

    /// <summary>Full path of the build context, without a trailing separator.</summary>
    public string ContextRoot { get; }

    /// <summary>The published project, relative to <see cref="ContextRoot"/>, forward-slashed.</summary>
    public string ProjectRelativePath { get; }

    /// <summary>Restore inputs in COPY order: by kind, then by relative path (ordinal), so output is deterministic.</summary>
    public IReadOnlyList<RestoreInput> Inputs { get; }

    /// <summary>Absolute local feeds that cannot travel with the context (STV1006 warnings).</summary>
    public IReadOnlyList<(string Feed, string Config)> UnreachableFeeds { get; }

    /// <summary>
    /// Collects the inputs. Searches walk up from each project's folder to its workspace root: the nearest
    /// folder holding .git or global.json, so a machine-wide file above the repository never widens the context.
    /// </summary>
    public static RestoreInputs Compute(string projectFile, IEnumerable<string> referencedProjects)
    {
        projectFile = Path.GetFullPath(projectFile);
        var projects = new SortedSet<string>(referencedProjects.Select(Path.GetFullPath), StringComparer.Ordinal) { projectFile };
        var found = new Dictionary<string, RestoreInputKind>(StringComparer.Ordinal);
        var unreachable = new List<(string, string)>();

        foreach (var project in projects)
        {
            found[project] = RestoreInputKind.Project;
            var dir = Path.GetDirectoryName(project)!;
            AddIfExists(found, Path.Combine(dir, "packages.lock.json"), RestoreInputKind.PackagesLock);
            foreach (var folder in UpToWorkspaceRoot(dir))
            {
                AddIfExists(found, Path.Combine(folder, "Directory.Build.props"), RestoreInputKind.DirectoryBuildProps);
                AddIfExists(found, Path.Combine(folder, "Directory.Build.targets"), RestoreInputKind.DirectoryBuildTargets);
                AddIfExists(found, Path.Combine(folder, "Directory.Packages.props"), RestoreInputKind.DirectoryPackagesProps);
                foreach (var name in NuGetConfigNames)
                {
                    var config = Path.Combine(folder, name);
                    if (File.Exists(config))
                    {
                        // Only one spelling counts per folder (a case-insensitive file system reports all three),
                        // and a config shared by several projects is read once.
                        if (!found.TryAdd(config, RestoreInputKind.NuGetConfig))
                        {
                            break;
                        }

                        foreach (var feed in LocalFeeds(config))
                        {
                            if (Path.IsPathRooted(feed))
                            {
                                unreachable.Add((feed, config));
                            }
                            else
                            {
                                var full = Path.GetFullPath(Path.Combine(folder, feed));
                                if (Directory.Exists(full))
                                {
                                    found[full + Path.DirectorySeparatorChar] = RestoreInputKind.LocalFeed;
                                }
                            }
                        }

                        break;
                    }
                }
            }
        }

        // The SDK resolves global.json from the published project's folder up.
        foreach (var folder in UpToWorkspaceRoot(Path.GetDirectoryName(projectFile)!))
        {
            if (AddIfExists(found, Path.Combine(folder, "global.json"), RestoreInputKind.GlobalJson))
            {
                break;
            }
        }

        var root = CommonAncestor(found.Keys.Select(p => p.EndsWith(Path.DirectorySeparatorChar) ? p.TrimEnd(Path.DirectorySeparatorChar) : Path.GetDirectoryName(p)!));
        var inputs = found
            .Select(p => new RestoreInput(p.Value, p.Key.TrimEnd(Path.DirectorySeparatorChar), Relative(root, p.Key)))
            .OrderBy(i => i.Kind)
            .ThenBy(i => i.RelativePath, StringComparer.Ordinal)
            .ToList();
        return new RestoreInputs(root, Relative(root, projectFile), inputs, unreachable);
    }

    /// <summary>The transitive ProjectReference closure as NuGet recorded it in project.assets.json (STV1005 if missing).</summary>
    public static IReadOnlyList<string> ReadProjectClosure(string projectFile, string assetsFile)
    {
        if (!File.Exists(assetsFile))
        {
            throw new DiagnosticException("ProjectAssetsMissing", assetsFile);
        }

        var projectDir = Path.GetDirectoryName(Path.GetFullPath(projectFile))!;
        using var json = JsonDocument.Parse(File.ReadAllBytes(assetsFile));
        var result = new List<string>();
        if (json.RootElement.TryGetProperty("libraries", out var libraries))
        {
            foreach (var library in libraries.EnumerateObject())
            {
                if (library.Value.TryGetProperty("type", out var type) && type.GetString() == "project"
                    && library.Value.TryGetProperty("msbuildProject", out var path) && path.GetString() is { } relative)
                {
                    result.Add(Path.GetFullPath(Path.Combine(projectDir, relative.Replace('\\', '/'))));
                }
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
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

    private static bool AddIfExists(Dictionary<string, RestoreInputKind> found, string path, RestoreInputKind kind)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        found.TryAdd(path, kind);
        return true;
    }

    private static IEnumerable<string> UpToWorkspaceRoot(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            yield return d.FullName;
            if (Directory.Exists(Path.Combine(d.FullName, ".git")) || File.Exists(Path.Combine(d.FullName, ".git"))
                || File.Exists(Path.Combine(d.FullName, "global.json")))
            {
                yield break;
            }
        }
    }

    internal static string CommonAncestor(IEnumerable<string> folders)
    {
        string[]? common = null;
        foreach (var folder in folders)
        {
            var parts = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
            if (common is null)
            {
                common = parts;
                continue;
            }

            var n = 0;
            while (n < common.Length && n < parts.Length && common[n] == parts[n])
            {
                n++;
            }

            common = common[..n];
        }

        var joined = string.Join(Path.DirectorySeparatorChar, common ?? []);
        return joined.Length == 0 ? Path.DirectorySeparatorChar.ToString() : joined;
    }

    private static string Relative(string root, string path)
    {
        var isFolder = path.EndsWith(Path.DirectorySeparatorChar);
        var relative = Path.GetRelativePath(root, path.TrimEnd(Path.DirectorySeparatorChar)).Replace('\\', '/');
        return isFolder ? relative + "/" : relative;
    }
}
