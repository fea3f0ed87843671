using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Images;
using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Options;
using Stevedore.Tasks.Dockerfiles.DotNet;
using Stevedore.Tasks.Tests.Inputs.DotNet;

namespace Stevedore.Tasks.Tests.Dockerfiles.DotNet;

[TestClass]
public sealed class GoldenDockerfileTests
{
    private const string Aspnet = "mcr.microsoft.com/dotnet/aspnet:10.0";

    [TestMethod]
    public void SingleProject()
    {
        using var tree = new TempTree();
        var project = tree.File("Api/Api.csproj");
        tree.File("global.json", "{}");
        tree.File("nuget.config", "<configuration />");
        Golden.AssertMatches("single-project.Dockerfile", Generate(project, [], Aspnet, "Api", ports: [new ContainerPort(8080)]));
    }

    [TestMethod]
    public void MultiProjectClosure()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        tree.File("nuget.config", "<configuration><packageSources><clear /><add key=\"local\" value=\"packages\" /></packageSources></configuration>");
        tree.Folder("packages");
        tree.File("Directory.Build.props");
        tree.File("src/Directory.Build.targets");
        var api = tree.File("src/Api/Api.csproj");
        var lib = tree.File("src/Lib/Lib.csproj");
        var core = tree.File("lib/Core/Core.csproj");
        tree.File("src/Api/packages.lock.json", "{}");
        Golden.AssertMatches("multi-project.Dockerfile", Generate(api, [lib, core], Aspnet, "Api"));
    }

    [TestMethod]
    public void CentralPackageManagement()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        tree.File("Directory.Packages.props");
        tree.File("Directory.Build.props");
        var api = tree.File("src/Api/Api.csproj");
        Golden.AssertMatches("central-packages.Dockerfile", Generate(api, [], Aspnet, "Api"));
    }

    [TestMethod]
    public void SelfContained()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var app = tree.File("App/App.csproj");
        Golden.AssertMatches("self-contained.Dockerfile", Generate(app, [], "mcr.microsoft.com/dotnet/runtime-deps:10.0", "App", selfContained: true));
    }

    [TestMethod]
    public void NativeAot()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var app = tree.File("Api/Api.csproj");
        Golden.AssertMatches("native-aot.Dockerfile", Generate(
            app, [], "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled", "Api", buildImage: "mcr.microsoft.com/dotnet/sdk:10.0-noble-aot",
            selfContained: true, reason: "PublishAot", nativeAot: true));
    }

    [TestMethod]
    public void ReadyToRun()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var app = tree.File("Api/Api.csproj");
        Golden.AssertMatches("ready-to-run.Dockerfile", Generate(app, [], Aspnet, "Api", reason: "PublishReadyToRun", readyToRun: true));
    }

    [TestMethod]
    public void ConsoleAppWithEnvironmentAndLabels()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var app = tree.File("Tool/Tool.csproj");
        Golden.AssertMatches("console.Dockerfile", Generate(app, [], "mcr.microsoft.com/dotnet/runtime:10.0", "Tool",
            env: [new("DOTNET_gcServer", "0"), new("GREETING", "say \"hi\"")],
            labels: [new("org.opencontainers.image.source", "https://example.com/tool"), new("org.opencontainers.image.version", "1.2.3"), new("team", "platform")]));
    }

    [TestMethod]
    public void CustomBaseImageIsUsedAsWritten()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var app = tree.File("Api/Api.csproj");
        var images = Resolve(userBase: "registry.example.com/base/aspnet:10.0-custom", computed: Aspnet, mirror: "127.0.0.1:5000");
        Golden.AssertMatches("custom-base-image.Dockerfile", Generate(app, [], images.BaseImage, "Api", buildImage: images.BuildImage, user: "app", workdir: "/srv"));
    }

    [TestMethod]
    public void ContainerFamily()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var app = tree.File("Api/Api.csproj");
        var images = Resolve(userBase: null, computed: "mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled-extra", mirror: null);
        Golden.AssertMatches("container-family.Dockerfile", Generate(app, [], images.BaseImage, "Api", buildImage: images.BuildImage));
    }

    [TestMethod]
    public void MirrorRegistryAndSyntax()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var app = tree.File("Api/Api.csproj");
        var images = Resolve(userBase: null, computed: Aspnet, mirror: "127.0.0.1:5000");
        Golden.AssertMatches("mirror-registry.Dockerfile", Generate(app, [], images.BaseImage, "Api", buildImage: images.BuildImage, syntax: "docker/dockerfile:1.7"));
    }

    [TestMethod]
    public void GenerationIsDeterministic()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var app = tree.File("Api/Api.csproj");
        Assert.AreEqual(Generate(app, [], Aspnet, "Api"), Generate(app, [], Aspnet, "Api"));
    }

    [TestMethod]
    public void DockerIgnore()
    {
        Golden.AssertMatches("Dockerfile.dockerignore", DockerIgnoreWriter.Write(GeneratedFileHeader.Generated, []));
    }

    private static ResolveContainerImages Resolve(string? userBase, string computed, string? mirror)
    {
        var task = new ResolveContainerImages
        {
            BuildEngine = new RecordingBuildEngine(),
            UserBaseImage = userBase,
            ComputedBaseImage = computed,
            BaseImageRegistry = mirror,
            TargetFrameworkVersion = "v10.0",
            Repository = "api",
            Tags = ["1.0.0"],
        };
        Assert.IsTrue(task.Execute());
        return task;
    }

    private static string Generate(
        string project,
        string[] references,
        string baseImage,
        string assemblyName,
        string buildImage = "mcr.microsoft.com/dotnet/sdk:10.0",
        bool selfContained = false,
        string? reason = null,
        bool nativeAot = false,
        bool readyToRun = false,
        string user = "1654",
        string workdir = "/app",
        string? syntax = null,
        ContainerPort[]? ports = null,
        KeyValuePair<string, string>[]? env = null,
        KeyValuePair<string, string>[]? labels = null)
    {
        var inputs = ProjectInputs.Compute(project, Closure.WithReferences(project, references));
        var model = DotnetDockerfile.Create(new DotnetDockerfileInputs
        {
            BuildImage = buildImage,
            Image = new FinalImage
            {
                BaseImage = baseImage,
                User = user,
                WorkingDirectory = workdir,
                Ports = ports ?? [],
                EnvironmentVariables = env ?? [],
                Labels = labels ?? [],
            },
            ProjectPath = inputs.ProjectRelativePath,
            RestoreInputs = inputs.RestoreInputs,
            SourceInputs = [.. inputs.SourceFolders, .. inputs.SourceFiles],
            AssemblyName = assemblyName,
            SelfContained = selfContained,
            NativeAot = nativeAot,
            ReadyToRun = readyToRun,
            Platforms = Stevedore.Tasks.Platforms.ContainerPlatform.ParseList("linux/amd64,linux/arm64"),
            PerPlatformReason = reason ?? (selfContained ? "self-contained" : null),
            Syntax = syntax,
        });
        return DockerfileWriter.Write(model, GeneratedFileHeader.Generated);
    }
}
