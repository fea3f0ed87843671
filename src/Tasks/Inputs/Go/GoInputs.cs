using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Inputs.Go;

/// <summary>
/// What `go mod download` reads for a Go project: the go.mod/go.sum of the module, of every local `replace`
/// target and of every go.work module (plus go.work/go.work.sum), each at its path relative to the build context,
/// which widens to their common ancestor. Also settles the Go version of the default build image.
/// </summary>
internal sealed class GoInputs
{
    private GoInputs(string contextRoot, string moduleFolder, IReadOnlyList<string> files, IReadOnlyList<string> sourceFolders, IReadOnlyList<string> dependencyPackages, GoVersion goVersion, bool usesVendor)
    {
        DependencyPackages = dependencyPackages;
        ContextRoot = contextRoot;
        ModuleFolder = moduleFolder;
        Files = files;
        SourceFolders = sourceFolders;
        GoVersion = goVersion;
        UsesVendor = usesVendor;
    }

    /// <summary>Full path of the build context, without a trailing separator.</summary>
    public string ContextRoot { get; }

    /// <summary>The project's module folder relative to <see cref="ContextRoot"/>, forward-slashed; empty when they are the same.</summary>
    public string ModuleFolder { get; }

    /// <summary>Files to copy before `go mod download`, relative to <see cref="ContextRoot"/>, ordinal order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>
    /// The module folders `go build` reads, relative to <see cref="ContextRoot"/>, each ending in '/' ("./" for the root):
    /// the main module, its local replacements and the go.work modules it requires or imports. Not a sibling service.
    /// </summary>
    public IReadOnlyList<string> SourceFolders { get; }

    /// <summary>
    /// The packages from outside the workspace the build imports (standard library and module dependencies), sorted:
    /// they can be compiled before the sources are copied, in a layer the registry cache keeps. Read from the sources, so
    /// a package only some platforms import is in the list too; the Dockerfile skips what a platform cannot build.
    /// </summary>
    public IReadOnlyList<string> DependencyPackages { get; }

    /// <summary>The newest `go`/`toolchain` version any involved file asks for: the build image must have at least that.</summary>
    public GoVersion GoVersion { get; }

    /// <summary>The module vendors its dependencies (vendor/modules.txt): go build uses vendor/, no download is needed.</summary>
    public bool UsesVendor { get; }

    /// <summary>The golang image for <see cref="GoVersion"/>, before any mirror.</summary>
    public string DefaultBuildImage => "golang:" + GoVersion.ImageTag;

    // Go assumes 1.16 for a go.mod without a go directive.
    private static readonly GoVersion Assumed = new(1, 16, 0, null);

    public static GoInputs Compute(string projectFile)
    {
        var moduleDir = Path.GetDirectoryName(Path.GetFullPath(projectFile))!;
        var goMod = Path.Combine(moduleDir, "go.mod");
        if (!File.Exists(goMod))
        {
            throw new DiagnosticException("GoModMissing", moduleDir, Path.GetFileName(projectFile));
        }

        var boundary = RepositoryRoot(moduleDir);
        var module = GoModule.Load(goMod);
        var versions = new List<GoVersion> { module.Go ?? Assumed };
        AddIfSet(versions, module.Toolchain);
        var modules = new SortedSet<string>(StringComparer.Ordinal) { moduleDir };
        var files = new SortedSet<string>(StringComparer.Ordinal);

        // Folders whose sources the build reads: the main module and its local replacements, then below the go.work
        // modules it needs. Every module's go.mod is still copied for `go mod download`, which reads the whole workspace.
        var needed = new Dictionary<string, GoModule>(StringComparer.Ordinal) { [moduleDir] = module };
        foreach (var folder in LocalTargets(moduleDir, module.Replacements, goMod, boundary))
        {
            modules.Add(folder);
            needed.TryAdd(folder, GoModule.Load(Path.Combine(folder, "go.mod")));
        }

        var work = FindGoWork(moduleDir, boundary);
        if (work is not null)
        {
            var workDir = Path.GetDirectoryName(work.File)!;
            AddIfSet(versions, work.Go);
            AddIfSet(versions, work.Toolchain);
            AddIfExists(files, work.File);
            AddIfExists(files, work.File + ".sum");
            foreach (var use in work.Uses)
            {
                modules.Add(CheckedFolder(workDir, use, "use " + use, work.File, boundary));
            }

            foreach (var folder in LocalTargets(workDir, work.Replacements, work.File, boundary))
            {
                modules.Add(folder);
                needed.TryAdd(folder, GoModule.Load(Path.Combine(folder, "go.mod")));
            }

            AddNeededWorkspaceModules(needed, modules);
        }

        // Each go.mod read once: its Go version, and its module path (what the workspace itself provides).
        var localModules = new List<string>();
        foreach (var folder in modules)
        {
            var mod = Path.Combine(folder, "go.mod");
            files.Add(mod);
            AddIfExists(files, Path.Combine(folder, "go.sum"));
            var local = needed.GetValueOrDefault(folder) ?? GoModule.Load(mod);
            localModules.Add(local.ModulePath);
            if (folder != moduleDir)
            {
                AddIfSet(versions, local.Go);
            }
        }

        // Imports that no workspace module provides: the standard library and downloaded (or vendored) modules.
        var dependencies = needed.Keys.SelectMany(GoImports.OfBuild)
            .Where(i => i != "C" && !i.StartsWith('.') && !localModules.Any(m => i == m || i.StartsWith(m + "/", StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal).OrderBy(i => i, StringComparer.Ordinal).ToList();

        var root = RepositoryPaths.CommonAncestor(modules.Append(moduleDir).Concat(work is null ? [] : [Path.GetDirectoryName(work.File)!]));
        var relativeModule = Relative(root, moduleDir);
        return new GoInputs(
            root,
            relativeModule == "." ? string.Empty : relativeModule,
            files.Select(f => Relative(root, f)).OrderBy(f => f, StringComparer.Ordinal).ToList(),
            RepositoryPaths.TopmostFolders(needed.Keys).Select(f => RepositoryPaths.Relative(root, f + Path.DirectorySeparatorChar)).OrderBy(f => f, StringComparer.Ordinal).ToList(),
            dependencies,
            GoVersion.Max(versions),
            File.Exists(Path.Combine(moduleDir, "vendor", "modules.txt")));
    }

    /// <summary>
    /// The folder that bounds the build context: the nearest one holding .git, else the nearest holding go.work,
    /// else the module itself. A replacement outside it would drag unrelated folders (or the whole disk) into the context.
    /// </summary>
    internal static string RepositoryRoot(string moduleDir) =>
        RepositoryPaths.RepositoryRoot(moduleDir)
        ?? RepositoryPaths.Ancestors(moduleDir).FirstOrDefault(d => File.Exists(Path.Combine(d, "go.work")))
        ?? moduleDir;

    private static IEnumerable<string> LocalTargets(string baseDir, IEnumerable<GoReplacement> replacements, string file, string boundary) =>
        replacements.Where(r => r.IsLocal).Select(r => CheckedFolder(baseDir, r.NewPath, "replace " + r, file, boundary));

    private static string CheckedFolder(string baseDir, string path, string directive, string file, string boundary)
    {
        // A rooted folder (or a Windows drive path) cannot travel with the context, whatever the repository.
        if (Path.IsPathRooted(path) || (path.Length > 1 && path[1] == ':'))
        {
            throw new DiagnosticException("GoModuleOutsideContext", directive, file, boundary);
        }

        var full = Path.GetFullPath(Path.Combine(baseDir, path.Replace('\\', '/')));
        if (!IsInside(full, boundary))
        {
            throw new DiagnosticException("GoModuleOutsideContext", directive, file, boundary);
        }

        if (!File.Exists(Path.Combine(full, "go.mod")))
        {
            throw new DiagnosticException("GoModuleMissing", directive, file, full);
        }

        return full.TrimEnd(Path.DirectorySeparatorChar);
    }

    // Like the go command: the nearest go.work above the module, but never above the repository.
    private static GoWork? FindGoWork(string moduleDir, string boundary)
    {
        for (var d = new DirectoryInfo(moduleDir); d is not null && IsInside(d.FullName, boundary); d = d.Parent)
        {
            var file = Path.Combine(d.FullName, "go.work");
            if (File.Exists(file))
            {
                return GoWork.Load(file);
            }
        }

        return null;
    }

    private static bool IsInside(string path, string folder) => RepositoryPaths.IsInside(path, folder);

    // A go.work module is needed when a needed module requires it or imports one of its packages; repeated until
    // nothing more is added, so a chain (api → shared → util) is followed.
    private static void AddNeededWorkspaceModules(Dictionary<string, GoModule> needed, IEnumerable<string> workspace)
    {
        var candidates = workspace.Where(f => !needed.ContainsKey(f)).Select(f => (Folder: f, Module: GoModule.Load(Path.Combine(f, "go.mod")))).ToList();
        bool added;
        do
        {
            added = false;
            var wanted = new HashSet<string>(needed.Values.SelectMany(m => m.Requirements.Select(r => r.Path)), StringComparer.Ordinal);
            var imports = needed.Keys.SelectMany(GoImports.InModule).ToHashSet(StringComparer.Ordinal);
            foreach (var (folder, module) in candidates.Where(c => !needed.ContainsKey(c.Folder)).ToList())
            {
                if (wanted.Contains(module.ModulePath) || imports.Any(i => i == module.ModulePath || i.StartsWith(module.ModulePath + "/", StringComparison.Ordinal)))
                {
                    needed[folder] = module;
                    added = true;
                }
            }
        }
        while (added);
    }


    private static void AddIfSet(List<GoVersion> versions, GoVersion? version)
    {
        if (version is not null)
        {
            versions.Add(version);
        }
    }

    private static void AddIfExists(SortedSet<string> files, string path)
    {
        if (File.Exists(path))
        {
            files.Add(path);
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
