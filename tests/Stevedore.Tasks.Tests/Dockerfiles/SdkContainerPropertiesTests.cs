using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Images;
using Stevedore.Tasks.Platforms;
using Stevedore.Tasks.Dockerfiles.Go;

namespace Stevedore.Tasks.Tests.Dockerfiles;

/// <summary>The .NET SDK's container properties (Microsoft.NET.Build.Containers) mean the same thing here, or fail with a code.</summary>
[TestClass]
public sealed class SdkContainerPropertiesTests
{
    private static readonly string[] App = ["./Api"];

    private static string Final(ContainerCommand command)
    {
        var stage = new DockerfileStage("base", "final");
        command.AddTo(stage, App);
        return string.Join("\n", stage.Instructions.Select(i => i.Keyword + " " + i.Arguments));
    }

    private static string Code(Func<object> act) =>
        Assert.ThrowsExactly<DiagnosticException>(() => act()).Text[..7];

    [TestMethod]
    public void ByDefaultTheAppIsTheEntrypoint() =>
        Assert.AreEqual("ENTRYPOINT [\"./Api\"]", Final(ContainerCommand.Default));

    [TestMethod]
    public void AppCommandArgsFollowTheAppAndDefaultArgsAreTheCmd() =>
        Assert.AreEqual("ENTRYPOINT [\"./Api\", \"--urls\", \"http://+:8080\"]\nCMD [\"--verbose\"]",
            Final(new ContainerCommand { AppCommandArgs = ["--urls", "http://+:8080"], DefaultArguments = ["--verbose"] }));

    [TestMethod]
    public void AnAppCommandOfTheUsersReplacesTheApp() =>
        Assert.AreEqual("ENTRYPOINT [\"dotnet\", \"Api.dll\"]", Final(new ContainerCommand { AppCommand = ["dotnet", "Api.dll"] }));

    [TestMethod]
    public void InstructionDefaultArgsPutsTheAppInCmd() =>
        Assert.AreEqual("CMD [\"./Api\", \"--a\", \"--b\"]",
            Final(new ContainerCommand { Instruction = "defaultargs", AppCommandArgs = ["--a"], DefaultArguments = ["--b"] }));

    [TestMethod]
    public void InstructionNoneKeepsTheBaseImagesEntrypoint() =>
        Assert.AreEqual("CMD [\"--b\"]", Final(new ContainerCommand { Instruction = "None", DefaultArguments = ["--b"] }));

    [TestMethod]
    public void TheOlderEntrypointGetsTheAppAsCmd() =>
        Assert.AreEqual("ENTRYPOINT [\"/tini\", \"--\"]\nCMD [\"./Api\"]",
            Final(new ContainerCommand { EntrypointCommand = ["/tini"], EntrypointArgs = ["--"] }));

    [TestMethod]
    public void EntrypointArgsAloneAreTheAppsDefaultArguments() =>
        Assert.AreEqual("ENTRYPOINT [\"./Api\"]\nCMD [\"--port\", \"80\"]", Final(new ContainerCommand { EntrypointArgs = ["--port", "80"] }));

    [TestMethod]
    public void ContradictionsAreCoded()
    {
        Assert.AreEqual("STV1030", Code(() => Final(new ContainerCommand { EntrypointArgs = ["-v"], AppCommandArgs = ["--a"] })));
        Assert.AreEqual("STV1031", Code(() => Final(new ContainerCommand { Instruction = "None", AppCommandArgs = ["--a"] })));
        Assert.AreEqual("STV1032", Code(() => Final(new ContainerCommand { Instruction = "Entrypoint", EntrypointCommand = ["/bin/sh"] })));
        Assert.AreEqual("STV1033", Code(() => Final(new ContainerCommand { Instruction = "Cmd" })));
    }

    [TestMethod]
    public void LabelsAreTheItemsInTheirOrderThenTheBaseImageDigest()
    {
        // The targets put the generated OCI labels first (in name order) and the user's own after them.
        var labels = ContainerMetadata.Labels(
            [Label("org.opencontainers.image.authors", "Shop team"), Label("org.opencontainers.image.title", "Shop API"), Label("team", "shop")],
            "sha256:" + new string('a', 64));
        CollectionAssert.AreEqual(
            new[] { "org.opencontainers.image.authors=Shop team", "org.opencontainers.image.title=Shop API", "team=shop", "org.opencontainers.image.base.digest=sha256:" + new string('a', 64) },
            labels.Select(l => l.Key + "=" + l.Value).ToArray());
        Assert.AreEqual(3, ContainerMetadata.Labels([Label("org.opencontainers.image.authors", "Shop team"), Label("a", "b"), Label("c", "")], null).Count);
    }

    [TestMethod]
    public void TheGeneratedDockerfileCarriesTheLabelsAndTheCommandFromTheSharedSettings()
    {
        using var tree = new TempTree();
        var engine = new RecordingBuildEngine();
        // As _StevedoreGenerateSetup passes them: one settings item, the labels as ContainerLabel items.
        var task = new GenerateGoDockerfile
        {
            BuildEngine = engine,
            Settings = new TaskItem(Path.Combine(tree.Root, "obj", "Dockerfile"), new Dictionary<string, string>
            {
                ["BuildImage"] = "golang:1.24",
                ["BaseImage"] = "127.0.0.1:5000/distroless/static:nonroot@sha256:" + new string('a', 64),
                ["User"] = "65532:65532",
                ["BaseImageDigestLabel"] = "true",
                ["AppCommandArgs"] = "--listen;:8080",
                ["DefaultArgs"] = "--verbose",
                ["ContextDirectory"] = tree.Root,
            }),
            MainPackage = ".",
            Labels =
            [
                Label("org.opencontainers.artifact.description", "Serves the shop"),
                Label("org.opencontainers.image.base.name", "127.0.0.1:5000/distroless/static:nonroot"),
                Label("org.opencontainers.image.description", "Serves the shop"),
                Label("org.opencontainers.image.title", "Shop API"),
                Label("team", "shop"),
            ],
        };
        Assert.IsTrue(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        var dockerfile = File.ReadAllText(Path.Combine(tree.Root, "obj", "Dockerfile"));
        StringAssert.Contains(dockerfile, """
            USER 65532:65532
            LABEL "org.opencontainers.artifact.description"="Serves the shop"
            LABEL "org.opencontainers.image.base.name"="127.0.0.1:5000/distroless/static:nonroot"
            LABEL "org.opencontainers.image.description"="Serves the shop"
            LABEL "org.opencontainers.image.title"="Shop API"
            LABEL "team"="shop"
            LABEL "org.opencontainers.image.base.digest"="sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            ENTRYPOINT ["/app", "--listen", ":8080"]
            CMD ["--verbose"]

            """.Replace("\r", string.Empty));
        StringAssert.StartsWith(dockerfile, "# Generated by Stevedore.Sdk", "not ejected: Eject is false when the settings leave it out");
    }

    private static TaskItem Label(string name, string value) => new(name, new Dictionary<string, string> { ["Value"] = value });

    [TestMethod]
    [DataRow("linux-x64", "linux/amd64")]
    [DataRow("linux-arm64", "linux/arm64")]
    [DataRow("linux-arm", "linux/arm/v7")]
    [DataRow("linux-x86", "linux/386")]
    [DataRow("linux-musl-x64", "linux/amd64")]
    [DataRow("linux-musl-arm64", "linux/arm64")]
    public void RuntimeIdentifiersArePlatforms(string rid, string platform) =>
        Assert.AreEqual(platform, ContainerPlatform.FromRuntimeIdentifier(rid).ToString());

    [TestMethod]
    [DataRow("win-x64")]
    [DataRow("osx-arm64")]
    [DataRow("linux-loongarch64")]
    [DataRow("linux")]
    public void OtherRuntimeIdentifiersAreStv1034(string rid) =>
        Assert.AreEqual("STV1034", Code(() => ContainerPlatform.FromRuntimeIdentifier(rid)));

    private static ResolveContainerImages Images(RecordingBuildEngine engine, params (string Name, string Value)[] environment) => new()
    {
        BuildEngine = engine,
        ComputedBaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0",
        TargetFrameworkVersion = "v10.0",
        Repository = "shop/api",
        Tags = ["latest"],
        Environment = name => environment.FirstOrDefault(e => e.Name == name).Value,
    };

    [TestMethod]
    public void RuntimeIdentifiersChooseThePlatformsOnlyWhenContainerPlatformsIsEmpty()
    {
        var task = Images(new RecordingBuildEngine());
        task.RuntimeIdentifiers = "linux-x64;linux-arm64;linux-musl-x64";
        Assert.IsTrue(task.Execute());
        Assert.AreEqual("linux/amd64,linux/arm64", string.Join(",", task.PlatformItems.Select(i => i.ItemSpec)));

        task = Images(new RecordingBuildEngine());
        task.RuntimeIdentifiers = "linux-arm64";
        task.Platforms = "linux/amd64";
        Assert.IsTrue(task.Execute());
        Assert.AreEqual("linux/amd64", string.Join(",", task.PlatformItems.Select(i => i.ItemSpec)));
    }

    [TestMethod]
    public void SdkOnlyPropertiesAreCoded()
    {
        foreach (var (configure, code) in new (Action<ResolveContainerImages>, string)[]
        {
            (t => t.ImageFormat = "Podman", "STV1035"),
            (t => t.LocalRegistry = "Podman", "STV1036"),
        })
        {
            var engine = new RecordingBuildEngine();
            var task = Images(engine);
            configure(task);
            Assert.IsFalse(task.Execute());
            Assert.AreEqual(code, engine.Errors.Single().Code);
        }

        var docker = Images(new RecordingBuildEngine());
        docker.LocalRegistry = "Docker";
        Assert.IsTrue(docker.Execute(), "LocalRegistry=Docker is what Stevedore does anyway");
        foreach (var format in new[] { "Docker", "OCI", "oci" })
        {
            var formatted = Images(new RecordingBuildEngine());
            formatted.ImageFormat = format;
            Assert.IsTrue(formatted.Execute(), $"ContainerImageFormat={format} is honoured");
        }
    }

    [TestMethod]
    public void TheObsoleteContainerImageNameIsStv1041AndNamesTheImage()
    {
        // The targets put ContainerImageName into ContainerRepository, as the SDK's ComputeContainerConfig does.
        var engine = new RecordingBuildEngine();
        var task = Images(engine);
        task.Repository = "shop/old-name";
        task.ObsoleteImageName = "shop/old-name";
        Assert.IsTrue(task.Execute());
        CollectionAssert.AreEqual(new[] { "shop/old-name:latest" }, task.ImageReferences);
        Assert.AreEqual("STV1041", engine.Warnings.Single().Code);
        StringAssert.Contains(engine.Warnings.Single().Message, "'ContainerImageName' was set but is obsolete");
        StringAssert.Contains(engine.Warnings.Single().Message, "use 'ContainerRepository' instead");

        var quiet = new RecordingBuildEngine();
        Assert.IsTrue(Images(quiet).Execute());
        Assert.IsEmpty(quiet.Warnings);
    }

    [TestMethod]
    public void ContainerImageTagBesideContainerImageTagsIsStv1042AndTheListWins()
    {
        var engine = new RecordingBuildEngine();
        var task = Images(engine);
        task.Tags = ["1.2.3", "stable"];
        task.IgnoredTag = "dev";
        Assert.IsTrue(task.Execute());
        CollectionAssert.AreEqual(new[] { "shop/api:1.2.3", "shop/api:stable" }, task.ImageReferences);
        Assert.AreEqual("STV1042", engine.Warnings.Single().Code);
        StringAssert.Contains(engine.Warnings.Single().Message, "ContainerImageTag ('dev') and ContainerImageTags ('1.2.3;stable')");
    }

    [TestMethod]
    public void TheSdksRegistryCredentialsAreStv1037OnlyForAPush()
    {
        var engine = new RecordingBuildEngine();
        var push = Images(engine, ("SDK_CONTAINER_REGISTRY_PWD", "secret"));
        push.Registry = "ghcr.io/my-org";
        Assert.IsFalse(push.Execute());
        Assert.AreEqual("STV1037", engine.Errors.Single().Code);
        StringAssert.Contains(engine.Errors.Single().Message, "docker login ghcr.io ");
        Assert.DoesNotContain("secret", engine.Errors.Single().Message!);

        Assert.IsTrue(Images(new RecordingBuildEngine(), ("SDK_CONTAINER_REGISTRY_PWD", "secret")).Execute(), "loading into the engine needs no credentials");
    }
}
