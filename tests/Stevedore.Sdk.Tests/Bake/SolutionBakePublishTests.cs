using System.Text.Json.Nodes;

namespace Stevedore.Sdk.Tests.Bake;

/// <summary>
/// `dotnet publish Shop.slnx` writes one bake definition with a target per container project, built from each
/// project's own properties, and leaves the other projects alone (generation only: ContainerBuild=false).
/// </summary>
[TestClass]
public sealed class SolutionBakePublishTests
{
    private static readonly string[] GenerateOnly = ["ContainerBuild=false", "ContainerBaseImageRegistry=127.0.0.1:5000", "ContainerRegistry=127.0.0.1:5000", "ContainerBuildNetwork=host"];

    [TestMethod]
    public void SolutionPublishWritesOneBakeDefinitionNamingEveryContainerProject()
    {
        var shop = new ShopSolution("bake");

        var result = shop.Publish("Shop.slnx", GenerateOnly).EnsureSuccess();

        var bake = JsonNode.Parse(File.ReadAllText(shop.BakeFile))!;
        var targets = bake["target"]!.AsObject();
        CollectionAssert.AreEqual(new[] { "Api", "Shop-Worker" }, targets.Select(t => t.Key).ToArray(), "one target per container project, nothing for the library, the tool without Stevedore or the test project");
        CollectionAssert.AreEqual(new[] { "Api", "Shop-Worker" }, bake["group"]!["default"]!["targets"]!.AsArray().Select(t => (string?)t).ToArray());

        // Each target is the project's own build: its Dockerfile, its platforms, its tags, its cache.
        var api = targets["Api"]!;
        Assert.AreEqual(Path.Combine(shop.Obj("Api"), "Dockerfile"), (string?)api["dockerfile"]);
        Assert.IsTrue(File.Exists((string)api["dockerfile"]!), "the Api Dockerfile was generated");
        Assert.IsTrue(Directory.Exists((string)api["context"]!), "the context exists");
        CollectionAssert.AreEqual(new[] { "127.0.0.1:5000/shop/api:latest" }, api["tags"]!.AsArray().Select(t => (string?)t).ToArray());
        CollectionAssert.AreEqual(new[] { "type=registry,mode=max,ref=127.0.0.1:5000/shop/api-cache" }, api["cache-to"]!.AsArray().Select(t => (string?)t).ToArray());
        CollectionAssert.AreEqual(new[] { "type=registry" }, api["output"]!.AsArray().Select(t => (string?)t).ToArray());
        CollectionAssert.AreEqual(new[] { "type=provenance,disabled=true" }, api["attest"]!.AsArray().Select(t => (string?)t).ToArray());
        var worker = targets["Shop-Worker"]!;
        Assert.AreEqual(Path.Combine(shop.Obj("Shop.Worker"), "Dockerfile"), (string?)worker["dockerfile"]);
        CollectionAssert.AreEqual(new[] { "linux/arm64" }, worker["platforms"]!.AsArray().Select(t => (string?)t).ToArray(), "the worker's own ContainerPlatforms");
        CollectionAssert.AreEqual(new[] { "127.0.0.1:5000/shop/worker:latest" }, worker["tags"]!.AsArray().Select(t => (string?)t).ToArray());
        Assert.IsNull(worker["cache-to"], "the Api's cache is not the worker's");

        // The network buildx 0.13's bake files cannot carry rides in a compose overlay of the same targets.
        var overlay = JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(shop.BakeFile)!, "bake-network.compose.yaml")))!;
        Assert.AreEqual("host", (string?)overlay["services"]!["Api"]!["build"]!["network"]);

        // One bake for the solution, not one per project; the others were published as the .NET SDK does.
        Assert.AreEqual(1, Count(result.Output, "Stevedore: bake definition "), result.Output);
        StringAssert.Contains(result.Output, "docker buildx bake --file " + shop.BakeFile);
        Assert.IsFalse(Directory.Exists(shop.Obj("Tool")), "EnableStevedore=false: no Stevedore files");
        Assert.IsTrue(File.Exists(Path.Combine(shop.Root, "src", "Tool", "bin", "Release", "net10.0", "publish", "Tool.dll")), "the tool was published by the .NET SDK");
        Assert.IsFalse(Directory.Exists(Path.Combine(shop.Root, "tests", "Api.Tests", "obj", "Release", "net10.0", "stevedore")));
        shop.Delete();
    }

    [TestMethod]
    public void ContainerSharedRestoreGivesTheSolutionsContainerProjectsOneRestoreStep()
    {
        var shop = new ShopSolution("sharedrestore");

        shop.Publish("Shop.slnx", [.. GenerateOnly, "ContainerSharedRestore=true"]).EnsureSuccess();

        // Both services compile once: their build stages are the same up to the restore, which restores both (every RID
        // either targets), so BuildKit runs that step once for the bake.
        var api = BuildStageUpToRestore(Path.Combine(shop.Obj("Api"), "Dockerfile"));
        var worker = BuildStageUpToRestore(Path.Combine(shop.Obj("Shop.Worker"), "Dockerfile"));
        CollectionAssert.AreEqual(api, worker, "the same restore step in both Dockerfiles:\n" + string.Join("\n", api) + "\n---\n" + string.Join("\n", worker));
        CollectionAssert.Contains(api, """COPY ["src/Shop.Worker/Shop.Worker.csproj", "src/Shop.Worker/"]""", "the Api's restore reads the worker's project too");
        StringAssert.Contains(api[^1], """-p:StevedoreRestoreProject="/src/src/Api/Api.csproj|/src/src/Shop.Worker/Shop.Worker.csproj" -p:StevedoreRestoreRuntimeIdentifiers=linux-arm64+linux-x64""");
        CollectionAssert.DoesNotContain(api, """COPY ["src/Tool/Tool.csproj", "src/Tool/"]""", "a project that makes no image is not restored");
        var plan = Path.Combine(Path.GetDirectoryName(shop.BakeFile)!, "shared-restore.json");
        Assert.IsTrue(File.Exists(plan), "the plan beside the bake definition");

        // By default each project restores what it reads, as a project's own publish does.
        shop.Publish("Shop.slnx", GenerateOnly).EnsureSuccess();
        var own = BuildStageUpToRestore(Path.Combine(shop.Obj("Api"), "Dockerfile"));
        CollectionAssert.DoesNotContain(own, """COPY ["src/Shop.Worker/Shop.Worker.csproj", "src/Shop.Worker/"]""");
        StringAssert.Contains(own[^1], """-p:StevedoreRestoreProject="/src/src/Api/Api.csproj" """);

        // A project published on its own keeps its own restore, whatever a bake planned before.
        shop.Publish("Shop.slnx", [.. GenerateOnly, "ContainerSharedRestore=true"]).EnsureSuccess();
        shop.Publish("src/Api/Api.csproj", GenerateOnly).EnsureSuccess();
        CollectionAssert.AreEqual(own, BuildStageUpToRestore(Path.Combine(shop.Obj("Api"), "Dockerfile")));
        shop.Delete();
    }

    // The build stage's lines from FROM to the first `dotnet restore`, comments left out.
    private static List<string> BuildStageUpToRestore(string dockerfile)
    {
        var lines = File.ReadAllLines(dockerfile).SkipWhile(l => !l.StartsWith("FROM ", StringComparison.Ordinal)).Where(l => !l.StartsWith('#')).ToList();
        return lines.Take(lines.FindIndex(l => l.Contains("dotnet restore", StringComparison.Ordinal)) + 1).ToList();
    }

    [TestMethod]
    public void ContainerBakeFalseBuildsEachProjectOnItsOwn()
    {
        var shop = new ShopSolution("nobake");

        var result = shop.Publish("Shop.slnx", [.. GenerateOnly, "ContainerBake=false"]).EnsureSuccess();

        Assert.IsFalse(File.Exists(shop.BakeFile), "no bake definition");
        Assert.IsFalse(File.Exists(Path.Combine(shop.Obj("Api"), "bake-target.json")));
        StringAssert.Contains(File.ReadAllText(Path.Combine(shop.Obj("Api"), "buildx-command.txt")), "docker buildx build");
        StringAssert.Contains(File.ReadAllText(Path.Combine(shop.Obj("Shop.Worker"), "buildx-command.txt")), "--platform linux/arm64");
        Assert.AreEqual(0, Count(result.Output, "Stevedore: bake definition "));
        shop.Delete();
    }

    [TestMethod]
    public void ProjectPublishInsideTheSolutionFolderIsStillASingleBuild()
    {
        var shop = new ShopSolution("onebake");

        shop.Publish("src/Api/Api.csproj", GenerateOnly).EnsureSuccess();

        Assert.IsFalse(File.Exists(shop.BakeFile), "publishing one project is not a solution's bake");
        StringAssert.Contains(File.ReadAllText(Path.Combine(shop.Obj("Api"), "buildx-command.txt")), "docker buildx build");
        shop.Delete();
    }

    [TestMethod]
    public void TraversalProjectNamingItselfTheBakeRootWritesOneDefinition()
    {
        // A traversal project as Microsoft.Build.Traversal makes one: Publish on every ProjectReference, with the
        // property that tells Stevedore which project lists them (TraversalGlobalProperties there).
        var shop = new ShopSolution("traversal");
        shop.Write("dirs.proj", """
            <Project>
              <ItemGroup>
                <ProjectReference Include="src/*/*.csproj" />
                <ProjectReference Include="tests/*/*.csproj" />
              </ItemGroup>
              <Target Name="Restore"><MSBuild Projects="@(ProjectReference)" Targets="Restore" /></Target>
              <Target Name="Publish">
                <MSBuild Projects="@(ProjectReference)" Targets="Publish" Properties="Configuration=Release;ContainerBakeRoot=$(MSBuildProjectFullPath)" />
              </Target>
            </Project>
            """);

        var result = shop.Publish("dirs.proj", GenerateOnly).EnsureSuccess();

        var bake = JsonNode.Parse(File.ReadAllText(Path.Combine(shop.Root, "obj", "stevedore", "dirs", "bake.json")))!;
        CollectionAssert.AreEqual(new[] { "Api", "Shop-Worker" }, bake["target"]!.AsObject().Select(t => t.Key).ToArray());
        Assert.AreEqual(1, Count(result.Output, "Stevedore: bake definition "), result.Output);
        shop.Delete();
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
