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

    private static readonly IReadOnlyList<Stevedore.Tasks.Platforms.ContainerPlatform> Platforms = Stevedore.Tasks.Platforms.ContainerPlatform.ParseList("linux/amd64,linux/arm64");

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

    [TestMethod]
    public void TestStageRestoresTheTestsAfterTheAppAndGatesTheImage()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        tree.File("nuget.config", "<configuration />");
        tree.File("Directory.Packages.props");
        tree.File("tests/Directory.Build.props");
        var api = tree.File("src/Api/Api.csproj");
        var lib = tree.File("src/Lib/Lib.csproj");
        var test = tree.File("tests/Api.Tests/Api.Tests.csproj");
        var app = Closure.WithReferences(api, [lib]);
        var withTests = ProjectInputs.Compute(api, [.. app, Closure.Of(test)]);
        var appInputs = ProjectInputs.Compute(api, app, withTests.ContextRoot);
        var tests = new DotnetTests(
            ["tests/Api.Tests/Api.Tests.csproj"],
            withTests.RestoreInputs.Where(i => !appInputs.RestoreInputs.Contains(i)).ToList(),
            [.. withTests.SourceFolders, .. withTests.SourceFiles]);
        var text = Generate(api, [lib], Aspnet, "Api", tests: tests, contextRoot: withTests.ContextRoot);
        Golden.AssertMatches("tests.Dockerfile", text);

        // The app's own stages are those of the same project without tests; only the gate at the build stage's end is added.
        var without = Generate(api, [lib], Aspnet, "Api", contextRoot: withTests.ContextRoot);
        var buildStage = without[without.IndexOf("FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build", StringComparison.Ordinal)..];
        var gate = "# Waits for the tests";
        var withGate = text[text.IndexOf("FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build", StringComparison.Ordinal)..];
        Assert.AreEqual(buildStage, System.Text.RegularExpressions.Regex.Replace(withGate, "# Waits for the tests[^\n]*\nCOPY --from=tests-passed [^\n]*\n", string.Empty));
        StringAssert.Contains(withGate, gate);
    }

    [TestMethod]
    public void PerPlatformAppsTestOnceOnTheBuildPlatform()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var app = tree.File("App/App.csproj");
        tree.File("App.Tests/App.Tests.csproj");
        var text = Generate(app, [], "mcr.microsoft.com/dotnet/runtime-deps:10.0", "App", selfContained: true,
            tests: new DotnetTests(["App.Tests/App.Tests.csproj"], [], ["App/", "App.Tests/"]), contextRoot: tree.Root);
        var testStage = text[text.IndexOf(" AS test\n", StringComparison.Ordinal)..text.IndexOf(" AS test-results", StringComparison.Ordinal)];
        Assert.IsFalse(testStage.Contains("TARGETARCH", StringComparison.Ordinal), testStage);
        StringAssert.Contains(testStage, "RUN dotnet restore \"App/App.csproj\" -p:EnableStevedore=false\n");
        StringAssert.Contains(testStage, "dotnet test \"App.Tests/App.Tests.csproj\" --no-restore -c Release --logger \"trx;LogFileName=App.Tests.trx\" --results-directory /stevedore/tests -p:EnableStevedore=false || s=$?;");
    }

    /// <summary>The Dockerfile of <paramref name="project"/> for both platforms, generated or (<paramref name="eject"/>) ejected with its header.</summary>
    internal static string Generate(
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
        KeyValuePair<string, string>[]? labels = null,
        DotnetTests? tests = null,
        string? contextRoot = null,
        bool eject = false,
        string[]? projectRuntimeIdentifiers = null)
    {
        var inputs = ProjectInputs.Compute(project, Closure.WithReferences(project, references), contextRoot);
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
            Platforms = Platforms,
            PerPlatformReason = reason ?? (selfContained ? "self-contained" : null),
            Syntax = syntax,
            Tests = tests,
            Eject = eject,
            ProjectRuntimeIdentifiers = projectRuntimeIdentifiers ?? [],
        });
        var header = eject
            ? GeneratedFileHeader.Ejected(inputs.ProjectRelativePath[..(inputs.ProjectRelativePath.LastIndexOf('/') + 1)] + "Dockerfile", Platforms, string.Empty, GenerateDockerfile.EjectNotes)
            : GeneratedFileHeader.Generated;
        return DockerfileWriter.Write(model, header);
    }
}
