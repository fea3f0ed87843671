using Stevedore.Testing;

namespace Stevedore.Sdk.Tests;

/// <summary>
/// PublishAot and PublishReadyToRun publish generation-only on the host: no ILCompiler or crossgen runs there (the
/// ILCompiler package's Publish hooks stopped the host before with 'The ResolvedILCompilerPack ItemGroup is required'),
/// and the Dockerfile compiles for each platform on the build platform.
/// </summary>
[TestClass]
public sealed class NativeAotPublishTests
{
    private static readonly string[] Local =
    [
        "ContainerBuild=false",
        "ContainerBaseImageRegistry=127.0.0.1:5000",
        "ContainerPlatforms=linux/amd64%3Blinux/arm64",
    ];

    [TestMethod]
    public void HeldOutAotWebAppGeneratesACrossCompilingDockerfileWithoutIlCompilerOnTheHost()
    {
        var project = WebApp("aot-held-out", "<PublishAot>true</PublishAot><InvariantGlobalization>true</InvariantGlobalization>");
        var result = project.Publish(Local).EnsureSuccess();

        Assert.DoesNotContain("ResolvedILCompilerPack", result.Output, "the ILCompiler package's Publish hooks must not run on the host");
        AssertNoHostOutput(project, "native");

        var dockerfile = GeneratedDockerfile(project);
        StringAssert.Contains(dockerfile, "FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/dotnet/sdk:10.0-noble-aot AS build\n");
        StringAssert.Contains(dockerfile, "cross-publishes for each target (PublishAot): no emulation.");
        StringAssert.Contains(dockerfile, "\"gcc-$(echo \"$triple\" | tr _ -)\" \"zlib1g-dev:$TARGETARCH\"");
        StringAssert.Contains(dockerfile, "-a $TARGETARCH -p:SelfContained=true -p:PublishAot=true -p:EnableStevedore=false\n");
        StringAssert.Contains(dockerfile, "--self-contained true -p:PublishAot=true -o /app/app -p:CopyOutputSymbolsToPublishDirectory=false");
        // The SDK's own inference for an AOT app without ICU, moved to the mirror.
        StringAssert.Contains(dockerfile, "FROM 127.0.0.1:5000/dotnet/runtime-deps:10.0-noble-chiseled AS final\n");
        StringAssert.Contains(dockerfile, "\nUSER 1654\n", "non-root");
        StringAssert.EndsWith(dockerfile, "\nENTRYPOINT [\"./App\"]\n", "the native binary is the entrypoint");
        Assert.DoesNotContain("/app/packages/", dockerfile, "a native binary has no package layer");
        project.Delete();
    }

    [TestMethod]
    public void ReadyToRunWebAppCrossCompilesWithCrossgenInTheBuildStage()
    {
        var project = WebApp("r2r-held-out", "<PublishReadyToRun>true</PublishReadyToRun>");
        project.Publish(Local).EnsureSuccess();

        AssertNoHostOutput(project, "R2R");
        var dockerfile = GeneratedDockerfile(project);
        StringAssert.Contains(dockerfile, "FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/dotnet/sdk:10.0 AS build\n");
        StringAssert.Contains(dockerfile, "-a $TARGETARCH -p:PublishReadyToRun=true -p:EnableStevedore=false\n");
        StringAssert.Contains(dockerfile, "-a $TARGETARCH -p:PublishReadyToRun=true -o /app/app ");
        StringAssert.Contains(dockerfile, "FROM 127.0.0.1:5000/dotnet/aspnet:10.0 AS final\n");
        project.Delete();
    }

    // The combinations of the ahead-of-time switches that make an image (the others are STV1111-1113, see BadInputs):
    // each generates on the host without ILCompiler or crossgen there, compiled per platform for the right reason.
    [TestMethod]
    [DataRow("PublishAot=true", "PublishAot", "runtime-deps:10.0-noble-chiseled-extra")]
    [DataRow("PublishAot=true;PublishTrimmed=true;SelfContained=true;InvariantGlobalization=true", "PublishAot", "runtime-deps:10.0-noble-chiseled")]
    [DataRow("PublishReadyToRun=true;SelfContained=true", "PublishReadyToRun", "runtime-deps:10.0")]
    [DataRow("PublishReadyToRun=true;PublishTrimmed=true;InvariantGlobalization=true", "PublishReadyToRun", "runtime-deps:10.0-noble-chiseled")]
    [DataRow("PublishTrimmed=true", "self-contained", "runtime-deps:10.0-noble-chiseled-extra")]
    [DataRow("SelfContained=true;InvariantGlobalization=true", "self-contained", "runtime-deps:10.0")]
    public void CompatibleAheadOfTimeSwitchesGenerateWithoutCompilingOnTheHost(string switches, string reason, string finalImage)
    {
        var project = WebApp("aot-matrix", string.Concat(switches.Split(';').Select(p => p.Split('=')).Select(p => $"<{p[0]}>{p[1]}</{p[0]}>")));
        project.Publish(Local).EnsureSuccess();

        AssertNoHostOutput(project, "native");
        AssertNoHostOutput(project, "R2R");
        var dockerfile = GeneratedDockerfile(project);
        StringAssert.Contains(dockerfile, $"cross-publishes for each target ({reason}): no emulation.");
        StringAssert.Contains(dockerfile, $"FROM 127.0.0.1:5000/dotnet/{finalImage} AS final\n");
        project.Delete();
    }

    /// <summary>A web app of its own (a minimal API), restoring from the AOT sample's feed for the ILCompiler, crossgen and runtime packs.</summary>
    private static SampleProject WebApp(string name, string properties)
    {
        var feed = Repo.Path("samples", "aot", "packages");
        Assert.IsTrue(File.Exists(Path.Combine(feed, ".complete")), $"{feed} is not filled: run eng/sample-feed.sh first");
        var project = new SampleProject(name, ReferenceMode.GlobalJson, extraProperties: properties);
        PackedSdk.WriteNuGetConfig(project.Root, "stevedore", PackedSdk.Feed);
        var config = Path.Combine(project.Root, "nuget.config");
        File.WriteAllText(config, File.ReadAllText(config).Replace("</packageSources>", $"  <add key=\"packs\" value=\"{feed}\" />\n  </packageSources>", StringComparison.Ordinal));
        project.Write("src/App/Program.cs", """
            using Microsoft.AspNetCore.Builder;

            var app = WebApplication.CreateSlimBuilder(args).Build();
            app.MapGet("/", () => Lib.Greeting.Text);
            app.Run();
            """);
        return project;
    }

    // The SDK infers the host's RuntimeIdentifier for an AOT or ReadyToRun publish, so obj/ has a RID folder.
    private static string GeneratedDockerfile(SampleProject project) =>
        File.ReadAllText(Directory.EnumerateFiles(Path.Combine(project.Root, "src", "App", "obj"), "Dockerfile", SearchOption.AllDirectories)
            .Single(f => Path.GetFileName(Path.GetDirectoryName(f)) == "stevedore"));

    // ILCompiler writes under obj/…/native/, crossgen under obj/…/R2R/: neither folder may exist on the host.
    private static void AssertNoHostOutput(SampleProject project, string folder)
    {
        var found = Directory.EnumerateDirectories(Path.Combine(project.Root, "src"), folder, SearchOption.AllDirectories).ToList();
        Assert.IsEmpty(found, $"the host compiled ahead of time: {string.Join(", ", found)}");
    }
}
