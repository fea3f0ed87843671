using System.Text.Json.Nodes;
using Stevedore.Testing;

namespace Stevedore.Templates.Tests;

/// <summary>What `dotnet new` writes from each template, before anything is built.</summary>
[TestClass]
public sealed class TemplateContentTests
{
    public static IEnumerable<object[]> Templates =>
    [
        ["stevedore-webapi", "Shop.Api", "Shop.Api.csproj"],
        ["stevedore-worker", "Shop.Jobs", "Shop.Jobs.csproj"],
        ["stevedore-go", "ShopPinger", "ShopPinger.goproj"],
    ];

    [TestMethod]
    [DynamicData(nameof(Templates))]
    public void ProjectFollowsTheNameAndPinsThePackedSdk(string shortName, string name, string projectFile)
    {
        var project = new TemplateProject(shortName, name);

        var xml = project.Read(projectFile);
        StringAssert.Contains(xml, $"<ContainerRepository>{name.ToLowerInvariant()}</ContainerRepository>");
        StringAssert.Contains(xml, "linux/amd64;linux/arm64");
        StringAssert.Contains(xml, "ContainerCacheFrom");
        StringAssert.Contains(xml, "ContainerCacheTo");
        StringAssert.Contains(xml, "ContainerCacheRef");
        Assert.DoesNotContain("<ContainerRegistry", xml, "no registry was given");
        var globalJson = JsonNode.Parse(project.Read("global.json"))!;
        Assert.AreEqual(PackedSdk.Version, (string?)globalJson["msbuild-sdks"]!["Stevedore.Sdk"]);
        Assert.IsTrue(File.Exists(Path.Combine(project.Folder, "README.md")));
    }

    [TestMethod]
    [DynamicData(nameof(Templates))]
    public void WorkflowPublishesWithAPerBranchRegistryCache(string shortName, string name, string projectFile)
    {
        var project = new TemplateProject(shortName, name);

        var workflow = project.Read(".github/workflows/container.yml");
        StringAssert.Contains(workflow, "actions/setup-dotnet@");
        StringAssert.Contains(workflow, "docker/login-action@");
        StringAssert.Contains(workflow, $"PROJECT: {projectFile}");
        // One logic for branch caches: Stevedore's ContainerCacheRef, not a cache ref of the workflow's own.
        StringAssert.Contains(workflow, $"ContainerCacheRef: ${{{{ steps.registry.outputs.name }}}}/{name.ToLowerInvariant()}-cache");
        Assert.DoesNotContain("ContainerCacheTo", workflow);
        // Tags and labels from docker/metadata-action; a fork's pull request builds without pushing.
        StringAssert.Contains(workflow, "docker/metadata-action@");
        StringAssert.Contains(workflow, "ContainerLabels: ${{ steps.meta.outputs.labels }}");
        StringAssert.Contains(workflow, "github.event.pull_request.head.repo.full_name == github.repository");
        StringAssert.Contains(workflow, "registry=\"${registry,,}\"");
        Assert.DoesNotContain("setup-qemu", workflow, "the build stage cross-compiles: no emulation in CI");
        Assert.DoesNotContain("#if", workflow);
    }

    [TestMethod]
    [DynamicData(nameof(Templates))]
    public void ParametersReachTheProjectAndTheWorkflow(string shortName, string name, string projectFile)
    {
        var project = new TemplateProject(shortName, name, "--registry", "ghcr.io/acme", "--platforms", "linux/arm64");

        var xml = project.Read(projectFile);
        StringAssert.Contains(xml, "ghcr.io/acme</ContainerRegistry>");
        StringAssert.Contains(xml, ">linux/arm64</ContainerPlatforms>");
        StringAssert.Contains(project.Read(".github/workflows/container.yml"), "registry=\"ghcr.io/acme\"");
    }

    [TestMethod]
    [DynamicData(nameof(Templates))]
    public void NothingPointsAtTheTestMachine(string shortName, string name, string projectFile)
    {
        var project = new TemplateProject(shortName, name);

        foreach (var file in Directory.EnumerateFiles(project.Folder, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("127.0.0.1", text, file);
            Assert.DoesNotContain("0.0.0-stevedore", text, $"{file}: the pack step stamps the version");
        }

        Assert.IsTrue(File.Exists(Path.Combine(project.Folder, projectFile)));
    }

    [TestMethod]
    [DynamicData(nameof(Templates))]
    public void FeedWritesANuGetConfigThatNamesIt(string shortName, string name, string projectFile)
    {
        Assert.IsFalse(File.Exists(Path.Combine(new TemplateProject(shortName, name).Folder, "nuget.config")), "no --feed, no nuget.config");

        var project = new TemplateProject(shortName, name, "--feed", "packages");

        StringAssert.Contains(project.Read("nuget.config"), "<add key=\"stevedore\" value=\"packages\" />");
        Assert.IsTrue(File.Exists(Path.Combine(project.Folder, projectFile)));
    }

    [TestMethod]
    public void GoModuleUsesTheGoVersionParameter()
    {
        Assert.AreEqual("module Pinger\n\ngo 1.24\n", new TemplateProject("stevedore-go", "Pinger").Read("go.mod"));
        StringAssert.Contains(new TemplateProject("stevedore-go", "Pinger", "--goVersion", "1.23").Read("go.mod"), "go 1.23");
    }
}
