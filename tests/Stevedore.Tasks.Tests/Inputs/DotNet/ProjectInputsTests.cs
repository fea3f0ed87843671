using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Options;

namespace Stevedore.Tasks.Tests.Inputs.DotNet;

[TestClass]
public sealed class ProjectInputsTests
{
    [TestMethod]
    public void ContextIsTheCommonAncestorOfTheClosure()
    {
        using var tree = new TempTree();
        tree.File("repo/global.json", "{}");
        var api = tree.File("repo/src/Api/Api.csproj");
        var lib = tree.File("repo/libs/Lib/Lib.csproj");
        var inputs = ProjectInputs.Compute(api, Closure.WithReferences(api, [lib]));
        Assert.AreEqual(Path.Combine(tree.Root, "repo"), inputs.ContextRoot);
        Assert.AreEqual("src/Api/Api.csproj", inputs.ProjectRelativePath);
        CollectionAssert.AreEqual(new[] { "global.json", "libs/Lib/Lib.csproj", "src/Api/Api.csproj" }, inputs.RestoreInputs.Select(i => i.RelativePath).ToArray());
        CollectionAssert.AreEqual(new[] { "libs/Lib/", "src/Api/" }, inputs.SourceFolders.ToArray());
    }

    [TestMethod]
    public void ImportedPropsInsideTheRepositoryAreRestoreInputsSdkAndGeneratedOnesAreNot()
    {
        using var tree = new TempTree();
        tree.Folder(".git");
        tree.File("eng/Versions.props");
        tree.File("Directory.Build.props");
        var api = tree.File("src/Api/Api.csproj");
        var project = Closure.Of(api, Path.Combine(tree.Root, "eng/Versions.props"), Path.Combine(tree.Root, "src/Api/obj/Api.csproj.nuget.g.props"));
        var inputs = ProjectInputs.Compute(api, [project]);
        CollectionAssert.AreEqual(
            new[] { "Directory.Build.props|DirectoryBuildProps", "eng/Versions.props|Import", "src/Api/Api.csproj|Project" },
            inputs.RestoreInputs.Select(i => i.RelativePath + "|" + i.Kind).ToArray());
        Assert.AreEqual(tree.Root, inputs.ContextRoot);
    }

    [TestMethod]
    public void AnImportOutsideTheRepositoryIsStv1022()
    {
        using var tree = new TempTree();
        tree.Folder("repo/.git");
        tree.File("shared/Common.props");
        var api = tree.File("repo/Api/Api.csproj");
        var e = Assert.ThrowsExactly<DiagnosticException>(() => ProjectInputs.Compute(api, [Closure.Of(api, Path.Combine(tree.Root, "shared/Common.props"))]));
        StringAssert.StartsWith(e.Text, $"STV1022: '{Path.Combine(tree.Root, "shared/Common.props")}' (imported by {api}) is outside the repository '{Path.Combine(tree.Root, "repo")}'");
    }

    [TestMethod]
    public void AProjectReferenceOutsideTheRepositoryIsStv1022()
    {
        using var tree = new TempTree();
        tree.Folder("repo/.git");
        var api = tree.File("repo/Api/Api.csproj");
        var lib = tree.File("other/Lib/Lib.csproj");
        var e = Assert.ThrowsExactly<DiagnosticException>(() => ProjectInputs.Compute(api, Closure.WithReferences(api, [lib])));
        StringAssert.StartsWith(e.Text, $"STV1022: '{lib}' (a project of the ProjectReference closure");
    }

    [TestMethod]
    public void LinkedFilesOutsideTheProjectAreSourceInputsGroupedByFolder()
    {
        using var tree = new TempTree();
        tree.Folder(".git");
        var api = tree.File("src/Api/Api.csproj");
        var a = tree.File("shared/A.cs");
        var b = tree.File("shared/B.cs");
        var inside = tree.File("src/Api/Program.cs");
        var inputs = ProjectInputs.Compute(api, [Closure.Of(api) with { SourceFiles = [a, b, inside, Path.Combine(tree.Root, "shared/Missing.cs")] }]);
        CollectionAssert.AreEqual(new[] { "src/Api/" }, inputs.SourceFolders.ToArray());
        CollectionAssert.AreEqual(new[] { "shared/A.cs", "shared/B.cs" }, inputs.SourceFiles.ToArray());
        Assert.AreEqual(tree.Root, inputs.ContextRoot);
    }

    [TestMethod]
    public void AProjectInsideAnotherNeedsNoCopyOfItsOwn()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var api = tree.File("Api/Api.csproj");
        var nested = tree.File("Api/Plugins/Plugin.csproj");
        var inputs = ProjectInputs.Compute(api, Closure.WithReferences(api, [nested]));
        CollectionAssert.AreEqual(new[] { "Api/" }, inputs.SourceFolders.ToArray());
    }

    [TestMethod]
    public void NuGetConfigOfAnySpellingAndItsRelativeFeedsAbsoluteOnesAreReported()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        tree.Folder("feeds/local");
        tree.File("NuGet.Config", """
            <configuration><packageSources><clear />
              <add key="org" value="https://api.nuget.org/v3/index.json" />
              <add key="local" value="feeds\local" />
              <add key="abs" value="/opt/feed" />
            </packageSources></configuration>
            """);
        var app = tree.File("app/App.csproj");
        var inputs = ProjectInputs.Compute(app, [Closure.Of(app)]);
        Assert.AreEqual("NuGet.Config", inputs.RestoreInputs.Single(i => i.Kind == RestoreInputKind.NuGetConfig).RelativePath);
        var feed = inputs.RestoreInputs.Single(i => i.Kind == RestoreInputKind.LocalFeed);
        Assert.AreEqual("feeds/local/", feed.RelativePath);
        Assert.IsTrue(feed.IsFolder);
        Assert.AreEqual(("/opt/feed", Path.Combine(tree.Root, "NuGet.Config")), inputs.UnreachableFeeds.Single());
    }

    [TestMethod]
    public void ConfigsStopAtTheWorkspaceRoot()
    {
        using var tree = new TempTree();
        tree.File("nuget.config", "<configuration />"); // above the workspace: machine-wide, not copied
        tree.Folder("ws/.git");
        tree.File("ws/nuget.config", "<configuration />");
        var app = tree.File("ws/app/App.csproj");
        var inputs = ProjectInputs.Compute(app, [Closure.Of(app)]);
        Assert.AreEqual(Path.Combine(tree.Root, "ws"), inputs.ContextRoot);
        CollectionAssert.AreEqual(new[] { "nuget.config", "app/App.csproj" }, inputs.RestoreInputs.Select(i => i.RelativePath).ToArray());
    }

    [TestMethod]
    public void LockFilesAndEditorConfigsAreInputs()
    {
        using var tree = new TempTree();
        tree.Folder(".git");
        tree.File(".editorconfig", "root = true");
        var app = tree.File("src/App/App.csproj");
        tree.File("src/App/packages.lock.json", "{}");
        var inputs = ProjectInputs.Compute(app, [Closure.Of(app)]);
        Assert.AreEqual("src/App/packages.lock.json", inputs.RestoreInputs.Single(i => i.Kind == RestoreInputKind.PackagesLock).RelativePath);
        CollectionAssert.AreEqual(new[] { ".editorconfig" }, inputs.SourceFiles.ToArray());
    }

}
