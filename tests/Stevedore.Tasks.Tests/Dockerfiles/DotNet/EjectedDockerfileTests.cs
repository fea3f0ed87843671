using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Dockerfiles.DotNet;
using Stevedore.Tasks.Tests.Inputs.DotNet;

namespace Stevedore.Tasks.Tests.Dockerfiles.DotNet;

/// <summary>ContainerEject: the Dockerfile a person owns builds with plain dotnet commands, nothing of Stevedore.Sdk in the container.</summary>
[TestClass]
public sealed class EjectedDockerfileTests
{
    private const string Aspnet = "mcr.microsoft.com/dotnet/aspnet:10.0";

    // What only Stevedore.Sdk's targets understand, or what waits on Stevedore's core slots.
    private static readonly string[] StevedoreOnly = ["EnableStevedore", "-p:Stevedore", "-t:Stevedore", "StevedorePublishPlatforms", "core-slots", "flock"];

    [TestMethod]
    public void MultiProjectRestoresEveryRidOnceThenCrossPublishesPerTarget()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        tree.File("nuget.config", "<configuration><packageSources><clear /><add key=\"local\" value=\"packages\" /></packageSources></configuration>");
        tree.Folder("packages");
        tree.File("Directory.Build.props");
        var api = tree.File("src/Api/Api.csproj");
        var lib = tree.File("src/Lib/Lib.csproj");
        var text = GoldenDockerfileTests.Generate(api, [lib], Aspnet, "Api", ports: [new Stevedore.Tasks.Dockerfiles.ContainerPort(8080)], eject: true);
        Golden.AssertMatches("ejected.Dockerfile", text);
        AssertNeedsNoStevedore(text);
    }

    [TestMethod]
    public void EveryBuildModeNeedsNoStevedoreInTheContainer()
    {
        using var tree = new TempTree();
        tree.File("global.json", "{}");
        var app = tree.File("App/App.csproj");
        tree.File("App.Tests/App.Tests.csproj");
        var tests = new DotnetTests(["App.Tests/App.Tests.csproj"], [], ["App/", "App.Tests/"]);
        string[] texts =
        [
            GoldenDockerfileTests.Generate(app, [], Aspnet, "App", eject: true, tests: tests, contextRoot: tree.Root, projectRuntimeIdentifiers: ["win-x64"]),
            GoldenDockerfileTests.Generate(app, [], "mcr.microsoft.com/dotnet/runtime-deps:10.0", "App", selfContained: true, eject: true, tests: tests, contextRoot: tree.Root),
            GoldenDockerfileTests.Generate(app, [], Aspnet, "App", reason: "PublishReadyToRun", readyToRun: true, eject: true),
            GoldenDockerfileTests.Generate(app, [], "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled", "App", buildImage: "mcr.microsoft.com/dotnet/sdk:10.0-noble-aot",
                selfContained: true, reason: "PublishAot", nativeAot: true, eject: true),
        ];
        foreach (var text in texts)
        {
            AssertNeedsNoStevedore(text);
            StringAssert.Contains(text, "FROM --platform=$BUILDPLATFORM ", "the build stage never runs emulated");
            StringAssert.Contains(text, "RUN --network=none ", "the publish reaches no network");
        }

        // The project's own RuntimeIdentifiers stay in the one restore (a lock file records them); the tests build without a RID.
        StringAssert.Contains(texts[0], "RUN dotnet restore \"App/App.csproj\" \"-p:RuntimeIdentifiers=\\\"win-x64;linux-x64;linux-arm64\\\"\" -p:EnableRuntimePackDownload=false\n");
        StringAssert.Contains(texts[0], "--results-directory /stevedore/tests || s=$?;");
        StringAssert.Contains(texts[1], "dotnet publish \"App/App.csproj\" --no-restore -c Release -a $TARGETARCH --self-contained true -o /app\n");
    }

    private static void AssertNeedsNoStevedore(string text)
    {
        var body = text[text.IndexOf("\nFROM ", StringComparison.Ordinal)..];
        foreach (var only in StevedoreOnly)
        {
            Assert.DoesNotContain(only, body, $"the ejected file needs Stevedore ({only}):\n{text}");
        }
    }
}
