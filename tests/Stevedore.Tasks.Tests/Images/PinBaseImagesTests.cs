using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;
using Stevedore.Tasks.Dockerfiles.Go;

namespace Stevedore.Tasks.Tests.Images;

/// <summary>ContainerPinBaseImages: registry addresses, the anonymous token challenge, and the digest lookup against a registry in memory.</summary>
[TestClass]
public sealed class PinBaseImagesTests
{
    private const string Index = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

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
        Assert.AreEqual(expected, RegistryAddress.For(reference).Manifest(reference.Tag!).ToString());
    }

    [TestMethod]
    public void DockerHubChallengeBecomesAnAnonymousPullTokenRequest()
    {
        var challenge = BearerChallenge.Parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/golang:pull\"");

        Assert.IsNotNull(challenge);
        Assert.AreEqual("https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fgolang%3Apull", challenge.TokenUri("library/golang").AbsoluteUri);
    }

    [TestMethod]
    public void ChallengeWithoutScopeAsksForPull()
    {
        var challenge = BearerChallenge.Parse("Bearer realm=\"https://ghcr.io/token?x=1\"")!;

        Assert.AreEqual("https://ghcr.io/token?x=1&scope=repository%3Aorg%2Fapp%3Apull", challenge.TokenUri("org/app").AbsoluteUri);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("Basic realm=\"registry\"")]
    [DataRow("Bearer service=\"x\"")]
    [DataRow("Bearer realm=\"not a url\"")]
    public void OtherChallengesAreNotFollowed(string? header) => Assert.IsNull(BearerChallenge.Parse(header));

    [TestMethod]
    public void TagPinsToTheDigestTheRegistryGivesForTheIndex()
    {
        using var registry = new FakeRegistry(_ => FakeRegistry.Digest(Index));
        using var digests = new ManifestDigest(registry);

        Assert.AreEqual($"127.0.0.1:5000/dotnet/aspnet:10.0@{Index}", digests.Pin("127.0.0.1:5000/dotnet/aspnet:10.0", "ContainerBaseImage"));
        var request = registry.Requests.Single();
        Assert.AreEqual(HttpMethod.Head, request.Method);
        Assert.AreEqual("application/vnd.oci.image.index.v1+json", request.Headers.Accept.First().MediaType, "an index first, so the pin holds every platform");
        CollectionAssert.IsSubsetOf(ManifestDigest.AcceptTypes, request.Headers.Accept.Select(a => a.MediaType).ToArray());
    }

    [TestMethod]
    public void UnauthorizedAnswerIsRetriedWithAnAnonymousToken()
    {
        using var registry = new FakeRegistry(request => request.RequestUri!.Host switch
        {
            "auth.example.com" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"token\":\"t0k\"}") },
            _ when request.Headers.Authorization?.Parameter == "t0k" => FakeRegistry.Digest(Index),
            _ => Challenge(),
        });
        using var digests = new ManifestDigest(registry);

        Assert.AreEqual($"registry.example.com/shop/base:1@{Index}", digests.Pin("registry.example.com/shop/base:1", "ContainerBaseImage"));
        CollectionAssert.AreEqual(
            new[] { "HEAD https://registry.example.com/v2/shop/base/manifests/1", "GET https://auth.example.com/token?service=registry.example.com&scope=repository%3Ashop%2Fbase%3Apull", "HEAD https://registry.example.com/v2/shop/base/manifests/1" },
            registry.Requests.Select(r => $"{r.Method} {r.RequestUri!.AbsoluteUri}").ToArray());
    }

    [TestMethod]
    public void PlainHttpTokenServiceOnARemoteHostIsRefused()
    {
        using var registry = new FakeRegistry(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            response.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"http://auth.example.com/token\"");
            return response;
        });
        using var digests = new ManifestDigest(registry);

        var error = Assert.Throws<DiagnosticException>(() => digests.Pin("registry.example.com/base:1", "ContainerBaseImage"));
        StringAssert.Contains(error.Text, "plain HTTP");
        Assert.HasCount(1, registry.Requests, "no token request over plain HTTP");
    }

    [TestMethod]
    public void WithoutTheDigestHeaderTheManifestBytesAreHashed()
    {
        var manifest = Encoding.UTF8.GetBytes("{\"schemaVersion\":2}");
        using var registry = new FakeRegistry(request => request.Method == HttpMethod.Head
            ? new HttpResponseMessage(HttpStatusCode.OK)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(manifest) });
        using var digests = new ManifestDigest(registry);

        var expected = "sha256:" + Convert.ToHexString(SHA256.HashData(manifest)).ToLowerInvariant();
        Assert.AreEqual($"127.0.0.1:5000/golang:1.24@{expected}", digests.Pin("127.0.0.1:5000/golang:1.24", "ContainerBuildImage"));
    }

    [TestMethod]
    [DataRow("127.0.0.1:5000/a:1@sha256:2222222222222222222222222222222222222222222222222222222222222222")]
    [DataRow("scratch")]
    public void DigestsAndScratchAreKeptWithoutAsking(string image)
    {
        using var registry = new FakeRegistry(_ => throw new AssertFailedException("no request expected"));
        using var digests = new ManifestDigest(registry);

        Assert.AreEqual(image, digests.Pin(image, "ContainerBaseImage"));
    }

    [TestMethod]
    public void UnknownTagIsStv3102NamingTheImage()
    {
        using var registry = new FakeRegistry(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        using var digests = new ManifestDigest(registry);

        var error = Assert.Throws<DiagnosticException>(() => digests.Pin("127.0.0.1:5000/dotnet/sdk:99.0", "ContainerBuildImage"));
        StringAssert.StartsWith(error.Text, "STV3102: The image '127.0.0.1:5000/dotnet/sdk:99.0' (ContainerBuildImage) could not be pinned");
        StringAssert.Contains(error.Text, "404");
    }

    [TestMethod]
    public void UnreachableRegistryIsStv3102()
    {
        var port = ClosedPort();
        using var digests = new ManifestDigest();

        var error = Assert.Throws<DiagnosticException>(() => digests.Pin($"127.0.0.1:{port}/dotnet/aspnet:10.0", "ContainerBaseImage"));
        StringAssert.StartsWith(error.Text, $"STV3102: The image '127.0.0.1:{port}/dotnet/aspnet:10.0' (ContainerBaseImage)");
    }

    private static HttpResponseMessage Challenge()
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\"");
        return response;
    }

    // A port nothing listens on: bound, read, released.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
        using var registry = new FakeRegistry(_ => FakeRegistry.Digest(Digest));
        var task = GoTask(tree, registry);

        Assert.IsTrue(task.Execute());
        var dockerfile = File.ReadAllText(task.DockerfilePath);
        StringAssert.Contains(dockerfile, $"FROM --platform=$BUILDPLATFORM 127.0.0.1:5000/golang:1.24@{Digest} AS build\n");
        StringAssert.Contains(dockerfile, $"FROM 127.0.0.1:5000/distroless/static:nonroot@{Digest} AS final\n");
        Assert.HasCount(2, registry.Requests);
    }

    [TestMethod]
    public void UnpinnableImageIsStv3102AndNoDockerfile()
    {
        using var tree = new TempTree();
        using var registry = new FakeRegistry(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        var engine = new RecordingBuildEngine();
        var task = GoTask(tree, registry, engine);

        Assert.IsFalse(task.Execute());
        Assert.AreEqual("STV3102", engine.Errors.Single().Code);
        Assert.IsFalse(File.Exists(task.DockerfilePath));
    }

    private static Stevedore.Tasks.Dockerfiles.Go.GenerateGoDockerfile GoTask(TempTree tree, FakeRegistry registry, RecordingBuildEngine? engine = null) => new()
    {
        BuildEngine = engine ?? new RecordingBuildEngine(),
        DockerfilePath = Path.Combine(tree.Root, "obj", "Dockerfile"),
        BuildImage = "127.0.0.1:5000/golang:1.24",
        BaseImage = "127.0.0.1:5000/distroless/static:nonroot",
        User = "65532:65532",
        MainPackage = ".",
        PinBaseImages = true,
        RegistryHandler = registry,
    };
}
