using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Projects;

namespace Stevedore.Tasks.Tests;

[TestClass]
public sealed class RestoreInputsTests
{
    [TestMethod]
    public void ContextIsTheCommonAncestorOfTheClosure()
    {
        using var tree = new TempTree();
        tree.File("repo/global.json", "{}");
        var api = tree.File("repo/src/Api/Api.csproj");
        var lib = tree.File("repo/libs/Lib/Lib.csproj");
        var inputs = RestoreInputs.Compute(api, [lib]);
        Assert.AreEqual(Path.Combine(tree.Root, "repo"), inputs.ContextRoot);
        Assert.AreEqual("src/Api/Api.csproj", inputs.ProjectRelativePath);
        CollectionAssert.AreEqual(new[] { "global.json", "libs/Lib/Lib.csproj", "src/Api/Api.csproj" }, inputs.Inputs.Select(i => i.RelativePath).ToArray());
    }

    [TestMethod]
    public void StopsAtTheWorkspaceRoot()
    {
        using var tree = new TempTree();
        tree.File("nuget.config", "<configuration />"); // above the workspace: machine-wide, not copied
        tree.File("Directory.Build.props");
        tree.Folder("ws/.git");
        tree.File("ws/nuget.config", "<configuration />");
        var app = tree.File("ws/app/App.csproj");
        var inputs = RestoreInputs.Compute(app, []);
        Assert.AreEqual(Path.Combine(tree.Root, "ws"), inputs.ContextRoot);
        CollectionAssert.AreEqual(new[] { "nuget.config", "app/App.csproj" }, inputs.Inputs.Select(i => i.RelativePath).ToArray());
    }

    [TestMethod]
    public void RelativeFeedsAreInputsAbsoluteOnesAreReported()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        tree.Folder("feeds/local");
        tree.File("nuget.config", """
            <configuration><packageSources><clear />
              <add key="org" value="https://api.nuget.org/v3/index.json" />
              <add key="local" value="feeds\local" />
              <add key="abs" value="/opt/feed" />
            </packageSources></configuration>
            """);
        var app = tree.File("app/App.csproj");
        var inputs = RestoreInputs.Compute(app, []);
        var feed = inputs.Inputs.Single(i => i.Kind == RestoreInputKind.LocalFeed);
        Assert.AreEqual("feeds/local/", feed.RelativePath);
        Assert.IsTrue(feed.IsFolder);
        Assert.AreEqual(("/opt/feed", Path.Combine(tree.Root, "nuget.config")), inputs.UnreachableFeeds.Single());
    }

    [TestMethod]
    public void ReadsTheClosureFromProjectAssets()
    {
        using var tree = new TempTree();
        var api = tree.File("src/Api/Api.csproj");
        var assets = tree.File("src/Api/obj/project.assets.json", """
            { "libraries": {
                "Lib/1.0.0": { "type": "project", "path": "../Lib/Lib.csproj", "msbuildProject": "../Lib/Lib.csproj" },
                "Core/1.0.0": { "type": "project", "path": "../../core/Core.csproj", "msbuildProject": "../../core/Core.csproj" },
                "Newtonsoft.Json/13.0.3": { "type": "package", "path": "newtonsoft.json/13.0.3" } } }
            """);
        var closure = RestoreInputs.ReadProjectClosure(api, assets);
        CollectionAssert.AreEqual(
            new[] { Path.Combine(tree.Root, "core/Core.csproj"), Path.Combine(tree.Root, "src/Lib/Lib.csproj") },
            closure.ToArray());
    }

    [TestMethod]
    public void MissingAssetsIsStv1005()
    {
        var e = Assert.ThrowsExactly<DiagnosticException>(() => RestoreInputs.ReadProjectClosure("/x/App.csproj", "/x/obj/project.assets.json"));
        StringAssert.StartsWith(e.Text, "STV1005: The restore output '/x/obj/project.assets.json'");
    }

    [TestMethod]
    public void TaskLogsTheAbsoluteFeedAsStv1006Once()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        tree.File("nuget.config", "<configuration><packageSources><add key=\"abs\" value=\"/opt/feed\" /></packageSources></configuration>");
        var api = tree.File("Api/Api.csproj");
        tree.File("Lib/Lib.csproj");
        var assets = tree.File("Api/obj/project.assets.json", """{ "libraries": { "Lib/1.0.0": { "type": "project", "msbuildProject": "../Lib/Lib.csproj" } } }""");
        var engine = new RecordingBuildEngine();
        var task = new ResolveRestoreInputs { BuildEngine = engine, ProjectFile = api, ProjectAssetsFile = assets };
        Assert.IsTrue(task.Execute());
        Assert.AreEqual("STV1006", engine.Warnings.Single().Code);
        Assert.AreEqual(tree.Root, task.ContextRoot);
        Assert.AreEqual("Api/Api.csproj", task.ProjectRelativePath);
        CollectionAssert.AreEqual(
            new[] { "nuget.config|NuGetConfig", "global.json|GlobalJson", "Api/Api.csproj|Project", "Lib/Lib.csproj|Project" },
            task.RestoreInputs.Select(i => i.GetMetadata("RelativePath") + "|" + i.GetMetadata("Kind")).ToArray());
    }
}
