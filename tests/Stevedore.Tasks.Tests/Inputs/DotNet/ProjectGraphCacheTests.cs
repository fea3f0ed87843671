using System.Collections;
using Stevedore.Tasks.Inputs.DotNet;

namespace Stevedore.Tasks.Tests.Inputs.DotNet;

[TestClass]
public sealed class ProjectGraphCacheTests
{
    // Stands for the MSBuild assembly: a file whose time and size are part of the key.
    private static readonly string MsbuildAssembly = typeof(ProjectGraphCacheTests).Assembly.Location;

    private static readonly Dictionary<string, string> Globals = new(StringComparer.OrdinalIgnoreCase) { ["Configuration"] = "Release" };

    // After the files were written: what a real evaluation, started before it read them, would see.
    private static DateTime Later => DateTime.UtcNow.AddMinutes(1);

    private static (TempTree Tree, string App, string Cache, IReadOnlyList<EvaluatedProject> Closure) Layout()
    {
        var tree = new TempTree();
        tree.File("global.json", "{}");
        tree.File("Directory.Build.props");
        var app = tree.File("src/App/App.csproj");
        var lib = tree.File("src/Lib/Lib.csproj");
        var shared = tree.File("shared/Version.cs", "// shared");
        var closure = new[]
        {
            Closure.Of(app) with { References = [lib], SourceFiles = [Path.Combine(tree.Root, "src/App/Program.cs"), shared] },
            Closure.Of(lib),
        };
        return (tree, app, Path.Combine(tree.Root, "src/App/obj/stevedore", ProjectGraphCache.FileName), closure);
    }

    private static string Key(string app, IDictionary<string, string>? globals = null, IDictionary? environment = null) =>
        ProjectGraphCache.Key([app], globals ?? Globals, environment ?? new Hashtable { ["PATH"] = "/usr/bin" }, MsbuildAssembly);

    [TestMethod]
    public void AnUnchangedGraphIsReadBackAsItWasEvaluated()
    {
        var (tree, app, cache, closure) = Layout();
        using var _ = tree;
        ProjectGraphCache.Save(cache, Key(app), closure, Later);

        var read = ProjectGraphCache.Load(cache, Key(app));

        Assert.IsNotNull(read);
        Assert.AreEqual(2, read.Count);
        CollectionAssert.AreEqual(closure[0].Imports.ToList(), read[0].Imports.ToList());
        CollectionAssert.AreEqual(closure[0].SourceFiles.ToList(), read[0].SourceFiles.ToList());
        CollectionAssert.AreEqual(closure[0].References.ToList(), read[0].References.ToList());
        Assert.AreEqual(closure[0].LockFile, read[0].LockFile);
        Assert.AreEqual(closure[1].FullPath, read[1].FullPath);
    }

    [TestMethod]
    public void OtherGlobalPropertiesEnvironmentOrProjectAreAnotherKey()
    {
        var (tree, app, _, _) = Layout();
        using var __ = tree;
        var key = Key(app);

        Assert.AreEqual(key, Key(app, new Dictionary<string, string>(Globals, StringComparer.OrdinalIgnoreCase)));
        Assert.AreNotEqual(key, Key(app, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Configuration"] = "Debug" }));
        Assert.AreNotEqual(key, Key(app, environment: new Hashtable { ["PATH"] = "/usr/bin", ["Configuration"] = "Debug" }));
        Assert.AreNotEqual(key, Key(Path.Combine(tree.Root, "src/Lib/Lib.csproj")));
        // A shell's own bookkeeping is no input of an evaluation.
        Assert.AreEqual(key, Key(app, environment: new Hashtable { ["PATH"] = "/usr/bin", ["OLDPWD"] = "/elsewhere", ["_"] = "/usr/bin/dotnet" }));
    }

    [TestMethod]
    public void AChangedProjectFileOrImportIsAMiss()
    {
        foreach (var changed in new[] { "src/App/App.csproj", "src/Lib/Lib.csproj", "Directory.Build.props" })
        {
            var (tree, app, cache, closure) = Layout();
            using var _ = tree;
            ProjectGraphCache.Save(cache, Key(app), closure, Later);

            tree.File(changed, "<Project><PropertyGroup><X>1</X></PropertyGroup></Project>");

            Assert.IsNull(ProjectGraphCache.Load(cache, Key(app)), changed);
        }
    }

    [TestMethod]
    public void AnImportWithTheSameSizeButAnotherTimeIsAMiss()
    {
        var (tree, app, cache, closure) = Layout();
        using var _ = tree;
        ProjectGraphCache.Save(cache, Key(app), closure, Later);

        File.SetLastWriteTimeUtc(Path.Combine(tree.Root, "Directory.Build.props"), DateTime.UtcNow.AddHours(-1));

        Assert.IsNull(ProjectGraphCache.Load(cache, Key(app)));
    }

    [TestMethod]
    public void ANewFileAProjectsEvaluationWouldFindIsAMiss()
    {
        // A Directory.Build.props nearer the project, a Directory.Packages.props above it, a file beside a linked source
        // (a glob there would take it).
        foreach (var added in new[] { "src/Directory.Build.props", "Directory.Packages.props", "src/Lib/Directory.Build.targets", "shared/Other.cs" })
        {
            var (tree, app, cache, closure) = Layout();
            using var _ = tree;
            ProjectGraphCache.Save(cache, Key(app), closure, Later);
            Assert.IsNotNull(ProjectGraphCache.Load(cache, Key(app)), added);

            tree.File(added);

            Assert.IsNull(ProjectGraphCache.Load(cache, Key(app)), added);
        }
    }

    [TestMethod]
    public void FilesWrittenWhileTheGraphWasEvaluatedAreNotKept()
    {
        var (tree, app, cache, closure) = Layout();
        using var _ = tree;

        ProjectGraphCache.Save(cache, Key(app), closure, DateTime.UtcNow.AddMinutes(-1));

        Assert.IsFalse(File.Exists(cache));
    }

    [TestMethod]
    public void ABrokenOrOtherFormatFileIsAMiss()
    {
        var (tree, app, cache, closure) = Layout();
        using var _ = tree;
        ProjectGraphCache.Save(cache, Key(app), closure, Later);

        Assert.IsNull(ProjectGraphCache.Load(cache, Key(app, environment: new Hashtable())));
        File.WriteAllText(cache, File.ReadAllText(cache).Replace("\"version\":1", "\"version\":0", StringComparison.Ordinal));
        Assert.IsNull(ProjectGraphCache.Load(cache, Key(app)));
        File.WriteAllText(cache, "{ not json");
        Assert.IsNull(ProjectGraphCache.Load(cache, Key(app)));
        Assert.IsNull(ProjectGraphCache.Load(cache + ".missing", Key(app)));
    }
}
