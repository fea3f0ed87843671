using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Engine;
using Stevedore.Tasks.Files;
using Stevedore.Tasks.Images;
using Stevedore.Tasks.Dockerfiles.Go;

namespace Stevedore.Tasks.Tests.Images;

/// <summary>ContainerPinBaseImages: registry addresses, and the digest lookup through the docker CLI (captured answers).</summary>
[TestClass]
public sealed class PinBaseImagesTests
{
    internal const string Index = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    [TestMethod]
    [DataRow("127.0.0.1:5000/dotnet/sdk:10.0", "http://127.0.0.1:5000/v2/dotnet/sdk/manifests/10.0")]
    [DataRow("127.0.0.2:5000/a:1", "http://127.0.0.2:5000/v2/a/manifests/1")]
    [DataRow("localhost:5000/shop/api:1", "http://localhost:5000/v2/shop/api/manifests/1")]
    [DataRow("localhost/api:1", "http://localhost/v2/api/manifests/1")]
    [DataRow("10.0.0.1:5000/api:1", "https://10.0.0.1:5000/v2/api/manifests/1")]
    [DataRow("golang:1.24", "https://registry-1.docker.io/v2/library/golang/manifests/1.24")]
    [DataRow("docker.io/library/golang:1.24", "https://registry-1.docker.io/v2/library/golang/manifests/1.24")]
    [DataRow("bitnami/redis:7", "https://registry-1.docker.io/v2/bitnami/redis/manifests/7")]
    [DataRow("mcr.microsoft.com/dotnet/aspnet:10.0", "https://mcr.microsoft.com/v2/dotnet/aspnet/manifests/10.0")]
    [DataRow("gcr.io/distroless/static:nonroot", "https://gcr.io/v2/distroless/static/manifests/nonroot")]
    public void ManifestAddressIsPlainHttpOnlyForLoopback(string image, string expected)
    {
        var reference = ImageReference.Parse(image, "ContainerBaseImage");
        var address = RegistryAddress.For(reference);
        Assert.AreEqual(expected, new Uri(address.BaseUri, $"v2/{address.Repository}/manifests/{reference.Tag}").ToString());
    }

    [TestMethod]
    public void TagPinsToTheDigestTheDockerCliGivesForTheIndex()
    {
        var docker = new AnsweringDocker(new ProcessResult(0, IndexDescriptor, string.Empty));

        Assert.AreEqual($"127.0.0.1:5000/dotnet/aspnet:10.0@{Index}", new ImageDigest(docker).Pin("127.0.0.1:5000/dotnet/aspnet:10.0", "ContainerBaseImage"));
        // buildx asks the registry with the CLI's own credentials (docker login, credential helpers): no client of ours.
        CollectionAssert.AreEqual(
            new[] { "buildx", "imagetools", "inspect", "127.0.0.1:5000/dotnet/aspnet:10.0", "--format", "{{json .Manifest}}" },
            docker.Calls.Single());
    }

    [TestMethod]
    [DataRow("127.0.0.1:5000/a:1@sha256:2222222222222222222222222222222222222222222222222222222222222222")]
    [DataRow("scratch")]
    public void DigestsAndScratchAreKeptWithoutAsking(string image)
    {
        var docker = new AnsweringDocker(new ProcessResult(1, string.Empty, "no call expected"));

        Assert.AreEqual(image, new ImageDigest(docker).Pin(image, "ContainerBaseImage"));
        Assert.IsEmpty(docker.Calls);
    }

    [TestMethod]
    public void UnknownTagIsStv3102WithTheCliReason()
    {
        var docker = new AnsweringDocker(new ProcessResult(1, string.Empty, "ERROR: 127.0.0.1:5000/dotnet/sdk:99.0: not found\n"));

        var error = Assert.Throws<DiagnosticException>(() => new ImageDigest(docker).Pin("127.0.0.1:5000/dotnet/sdk:99.0", "ContainerBuildImage"));
        StringAssert.StartsWith(error.Text, "STV3102: The image '127.0.0.1:5000/dotnet/sdk:99.0' (ContainerBuildImage) could not be pinned to a digest (ERROR: 127.0.0.1:5000/dotnet/sdk:99.0: not found)");
    }

    [TestMethod]
    [DataRow("not json")]
    [DataRow("{\"mediaType\":\"application/vnd.oci.image.index.v1+json\"}")]
    [DataRow("{\"digest\":\"md5:abc\"}")]
    public void AnAnswerWithoutADigestIsStv3102(string output)
    {
        var docker = new AnsweringDocker(new ProcessResult(0, output, string.Empty));

        var error = Assert.Throws<DiagnosticException>(() => new ImageDigest(docker).Pin("127.0.0.1:5000/a:1", "ContainerBaseImage"));
        StringAssert.Contains(error.Text, "printed no digest");
    }

    [TestMethod]
    public void WithoutADockerCliItIsStv3102()
    {
        var error = Assert.Throws<DiagnosticException>(() => new ImageDigest(new AnsweringDocker(null)).Pin("127.0.0.1:5000/a:1", "ContainerBaseImage"));
        StringAssert.StartsWith(error.Text, "STV3102: ");
        StringAssert.Contains(error.Text, "no docker CLI");
    }

    /// <summary>What `docker buildx imagetools inspect --format '{{json .Manifest}}'` printed for a two-platform tag (captured, shortened).</summary>
    internal const string IndexDescriptor = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
          "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
          "size": 685,
          "manifests": [
            { "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "digest": "sha256:c26994f03dbe6264a933e90c1cbbdb098f0278f856d1c1d2af1236428eb970ae", "size": 1097, "platform": { "architecture": "amd64", "os": "linux" } }
          ]
        }
        """;
}

/// <summary>A docker CLI that gives one answer to every call and records the arguments; null: no docker on PATH.</summary>
internal sealed class AnsweringDocker(ProcessResult? answer) : DockerCli
{
    public List<string[]> Calls { get; } = [];

    public override string? Find() => answer is null ? null : "/usr/bin/docker";

    public override ProcessResult Run(string docker, IEnumerable<string> arguments, TimeSpan timeout)
    {
        Calls.Add(arguments.ToArray());
        return answer!;
    }
}

/// <summary>The generator tasks with ContainerPinBaseImages: both FROM lines pinned, or STV3102 and no file.</summary>
[TestClass]
public sealed class PinnedDockerfileTaskTests
{
    private const string Digest = "sha256:3333333333333333333333333333333333333333333333333333333333333333";

    [TestMethod]
    public void BothFromLinesCarryTheDigest()
    {
        using var tree = new TempTree();
        var docker = new AnsweringDocker(new ProcessResult(0, PinBaseImagesTests.IndexDescriptor.Replace(PinBaseImagesTests.Index, Digest), string.Empty));
        var task = GoTask(tree, docker);

        Assert.IsTrue(task.Execute());
        var dockerfile = File.ReadAllText(task.DockerfilePath);
        StringAssert.Contains(dockerfile, $"FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/golang:1.24@{Digest} AS build\n");
        StringAssert.Contains(dockerfile, $"FROM 127.0.0.1:5000/distroless/static:nonroot@{Digest} AS final\n");
        Assert.HasCount(2, docker.Calls);
    }

    [TestMethod]
    public void UnpinnableImageIsStv3102AndNoDockerfile()
    {
        using var tree = new TempTree();
        var docker = new AnsweringDocker(new ProcessResult(1, string.Empty, "ERROR: not found"));
        var engine = new RecordingBuildEngine();
        var task = GoTask(tree, docker, engine);

        Assert.IsFalse(task.Execute());
        Assert.AreEqual("STV3102", engine.Errors.Single().Code);
        Assert.IsFalse(File.Exists(task.DockerfilePath));
    }

    private static Stevedore.Tasks.Dockerfiles.Go.GenerateGoDockerfile GoTask(TempTree tree, AnsweringDocker docker, RecordingBuildEngine? engine = null) => new()
    {
        BuildEngine = engine ?? new RecordingBuildEngine(),
        DockerfilePath = Path.Combine(tree.Root, "obj", "Dockerfile"),
        BuildImage = "127.0.0.1:5000/golang:1.24",
        BaseImage = "127.0.0.1:5000/distroless/static:nonroot",
        User = "65532:65532",
        MainPackage = ".",
        PinBaseImages = true,
        Docker = docker,
    };
}
