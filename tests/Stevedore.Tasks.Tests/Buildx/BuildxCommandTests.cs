using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Plan;
using Stevedore.Tasks.Buildx;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Tests.Buildx;

[TestClass]
public sealed class BuildxCommandTests
{
    private static BuildxCommand Minimal(bool push = false, string? archive = null) => new()
    {
        Platforms = ContainerPlatform.ParseList("linux/amd64;linux/arm64"),
        DockerfilePath = "/src/app/obj/stevedore/Dockerfile",
        ContextPath = "/src",
        Tags = ["127.0.0.1:5000/shop/api:1.0.0", "127.0.0.1:5000/shop/api:latest"],
        Push = push,
        ArchivePath = archive,
        MetadataFile = "/src/app/obj/stevedore/metadata.json",
    };

    [TestMethod]
    public void LoadsWhenNoRegistry() => Assert.AreEqual(
        "buildx build --progress=plain --provenance=false --platform linux/amd64,linux/arm64 --file /src/app/obj/stevedore/Dockerfile"
        + " --tag 127.0.0.1:5000/shop/api:1.0.0 --tag 127.0.0.1:5000/shop/api:latest --load"
        + " --metadata-file /src/app/obj/stevedore/metadata.json /src",
        Minimal().ToCommandLine());

    [TestMethod]
    public void TheTestResultsExportTargetsTheStageIntoAFolderAndNeitherPushesNorLoads() => Assert.AreEqual(
        "buildx build --progress=plain --provenance=false --platform linux/amd64 --file /src/app/obj/stevedore/Dockerfile --target test-results"
        + " --output type=local,dest=/src/app/obj/stevedore/test-results --metadata-file /src/app/obj/stevedore/metadata.json /src",
        (Minimal(push: true) with
        {
            Platforms = ContainerPlatform.ParseList("linux/amd64"),
            Tags = [],
            Target = "test-results",
            LocalOutput = "/src/app/obj/stevedore/test-results",
            SourceDateEpoch = "1700000000",
        }).ToCommandLine());

    [TestMethod]
    public void PushesWhenRegistrySet() => CollectionAssert.Contains(Minimal(push: true).Arguments().ToList(), "--push");

    [TestMethod]
    public void ArchiveReplacesPushAndLoad()
    {
        var args = Minimal(push: true, archive: "/out/app.tar").Arguments().ToList();
        CollectionAssert.DoesNotContain(args, "--push");
        CollectionAssert.DoesNotContain(args, "--load");
        Assert.AreEqual("type=oci,dest=/out/app.tar", args[args.IndexOf("--output") + 1]);
    }

    [TestMethod]
    [DataRow(true, null, "OCI", "type=image,push=true,oci-mediatypes=true")]
    [DataRow(true, null, "Docker", "type=image,push=true,oci-mediatypes=false")]
    [DataRow(false, null, "oci", "type=docker,oci-mediatypes=true")]
    [DataRow(true, "/out/app.tar", "Docker", "type=oci,dest=/out/app.tar,oci-mediatypes=false")]
    public void ContainerImageFormatSetsTheOutputsMediaTypes(bool push, string? archive, string format, string output)
    {
        var args = new BuildxCommand
        {
            Platforms = ContainerPlatform.ParseList("linux/amd64"),
            DockerfilePath = "/src/Dockerfile",
            ContextPath = "/src",
            Push = push,
            ArchivePath = archive,
            OciMediaTypes = ImageFormat.OciMediaTypes(format),
        }.Arguments().ToList();

        Assert.AreEqual(output, args[args.IndexOf("--output") + 1]);
        CollectionAssert.DoesNotContain(args, "--push");
        CollectionAssert.DoesNotContain(args, "--load");
    }

    [TestMethod]
    public void AnUnknownImageFormatIsStv1035() =>
        StringAssert.StartsWith(Assert.Throws<Stevedore.Tasks.Diagnostics.DiagnosticException>(() => ImageFormat.OciMediaTypes("Podman")).Text, "STV1035: ContainerImageFormat 'Podman'");

    [TestMethod]
    [DataRow(false, "type=image,push=true,source-date-epoch=1700000000")]
    [DataRow(true, "type=image,push=true,source-date-epoch=1700000000,rewrite-timestamp=true")]
    public void TheEpochGoesToTheExporterNotToABuildArgument(bool rewrite, string output)
    {
        var args = (Minimal(push: true) with { SourceDateEpoch = "1700000000", RewriteTimestamps = rewrite }).Arguments().ToList();
        CollectionAssert.DoesNotContain(args, "--push");
        Assert.AreEqual(output, args[args.IndexOf("--output") + 1]);
        Assert.IsFalse(args.Any(a => a.Contains("SOURCE_DATE_EPOCH", StringComparison.Ordinal)), "a build argument would change every step's cache key with each commit");
    }

    [TestMethod]
    public void TheEpochStampsAnArchiveToo()
    {
        var args = (Minimal(archive: "/out/app.tar") with { SourceDateEpoch = "5" }).Arguments().ToList();
        Assert.AreEqual("type=oci,dest=/out/app.tar,source-date-epoch=5", args[args.IndexOf("--output") + 1]);
    }

    [TestMethod]
    public void EveryOptionInOrder()
    {
        var command = new BuildxCommand
        {
            Platforms = [ContainerPlatform.Parse("linux/arm64")],
            DockerfilePath = "/w/my app/Dockerfile",
            ContextPath = "/w/my app",
            Tags = ["api:1"],
            CacheFrom = ["type=registry,ref=127.0.0.1:5000/cache:main"],
            CacheTo = ["type=registry,ref=127.0.0.1:5000/cache:main,mode=max"],
            Builder = "ci",
            Network = "host",
            Progress = "rawjson",
            Provenance = "mode=max",
            Sbom = true,
        };
        Assert.AreEqual(
            "buildx build --builder ci --progress=rawjson --provenance=mode=max --sbom=true --platform linux/arm64 --file \"/w/my app/Dockerfile\" --tag api:1 --load"
            + " --cache-from type=registry,ref=127.0.0.1:5000/cache:main --cache-to type=registry,ref=127.0.0.1:5000/cache:main,mode=max"
            + " --network host \"/w/my app\"",
            command.ToCommandLine());
    }

    [TestMethod]
    [DataRow("plain", "plain")]
    [DataRow("a b", "\"a b\"")]
    [DataRow("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [DataRow("", "\"\"")]
    public void QuotesLikeProcessStartSplits(string arg, string expected) => Assert.AreEqual(expected, BuildxCommand.Quote(arg));

    [TestMethod]
    public void TaskExposesTheExactCommandLineWithoutRunning()
    {
        var engine = new RecordingBuildEngine();
        using var tree = new TempTree();
        var dockerfile = tree.File("Dockerfile", "FROM scratch\n");
        var task = new BuildContainerImage
        {
            BuildEngine = engine,
            Model = new BuildPlan
            {
                Project = "api",
                Platforms = [ContainerPlatform.Parse("linux/amd64")],
                Dockerfile = dockerfile,
                Context = tree.Root,
                Images = ["api:1.0.0"],
                CacheFrom = [CacheSpec.Parse("type=local,src=/c", CacheDirection.From), CacheSpec.Parse("type=registry,ref=r/c", CacheDirection.From)],
                Network = "host",
                Files = new PlanFiles { CommandLine = Path.Combine(tree.Root, "cmd.txt") },
            },
            DryRun = true,
        };
        Assert.IsTrue(task.Execute());
        var expected = $"docker buildx build --progress=plain --provenance=false --platform linux/amd64 --file {dockerfile} --tag api:1.0.0 --load"
            + $" --cache-from type=local,src=/c --cache-from type=registry,ref=r/c --network host {Stevedore.Testing.ContextLinkPath.For(tree.Root)}";
        Assert.AreEqual(expected, task.CommandLine);
        Assert.AreEqual(expected + "\n", File.ReadAllText(task.CommandLineFile!));
        Assert.AreEqual("docker " + task.GetCommand().ToCommandLine(), task.CommandLine);
    }

    [TestMethod]
    public void MissingUserDockerfileIsStv1007()
    {
        var engine = new RecordingBuildEngine();
        var plan = new BuildPlan { Project = "app", Platforms = [ContainerPlatform.Host()], Dockerfile = "/nope/Dockerfile", Context = "/nope" };
        var task = new BuildContainerImage { BuildEngine = engine, Model = plan, DryRun = true };
        Assert.IsFalse(task.Execute());
        Assert.AreEqual("STV1007", engine.Errors.Single().Code);
    }
}
