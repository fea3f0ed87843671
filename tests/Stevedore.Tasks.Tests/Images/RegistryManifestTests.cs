using System.Net;
using Stevedore.Tasks.Engine;
using Stevedore.Tasks.Files;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Tests.Images;

[TestClass]
public sealed class RegistryManifestTests
{
    private const string Index = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""";

    /// <summary>Answers every request with one status (and the index as body), recording what was asked.</summary>
    private sealed class Registry(HttpStatusCode status) : HttpMessageHandler
    {
        public List<string> Asked { get; } = [];

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked.Add(request.Method + " " + request.RequestUri);
            var response = new HttpResponseMessage(status) { Content = new StringContent(status == HttpStatusCode.OK ? Index : "{}") };
            response.Headers.Add("Docker-Content-Digest", "sha256:" + new string('a', 64));
            return response;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));
    }

    private sealed class Docker(string output) : DockerCli
    {
        public List<string> Calls { get; } = [];

        public override string? Find() => "/usr/bin/docker";

        public override ProcessResult Run(string docker, IEnumerable<string> arguments, TimeSpan timeout)
        {
            Calls.Add(string.Join(' ', arguments));
            return new ProcessResult(0, output, string.Empty);
        }
    }

    private const string Image = "127.0.0.1:5000/shop/api@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    [TestMethod]
    public void AnAnonymousRegistryGivesTheIndexWithoutTheDockerCli()
    {
        var registry = new Registry(HttpStatusCode.OK);
        var docker = new Docker("unused");
        using var manifests = new RegistryManifest(docker, registry);
        Assert.AreEqual(Index, manifests.Raw(Image));
        CollectionAssert.AreEqual(new[] { "GET http://127.0.0.1:5000/v2/shop/api/manifests/sha256:" + new string('b', 64) }, registry.Asked);
        Assert.IsEmpty(docker.Calls);
    }

    [TestMethod]
    public void ARegistryThatWantsCredentialsIsAskedThroughTheDockerCli()
    {
        var registry = new Registry(HttpStatusCode.Unauthorized);
        var docker = new Docker(Index);
        using var manifests = new RegistryManifest(docker, registry);
        Assert.AreEqual(Index, manifests.Raw(Image));
        CollectionAssert.AreEqual(new[] { "buildx imagetools inspect --raw " + Image }, docker.Calls);
    }

    [TestMethod]
    public void ATagIsResolvedByOneHead()
    {
        var registry = new Registry(HttpStatusCode.OK);
        var docker = new Docker("unused");
        using var manifests = new RegistryManifest(docker, registry);
        Assert.AreEqual("sha256:" + new string('a', 64), manifests.Digest("127.0.0.1:5000/shop/api:1.0"));
        CollectionAssert.AreEqual(new[] { "HEAD http://127.0.0.1:5000/v2/shop/api/manifests/1.0" }, registry.Asked);
        Assert.IsEmpty(docker.Calls);
    }

    [TestMethod]
    public void ATagTheRegistryDoesNotHaveHasNoDigest()
    {
        var docker = new Docker("unused");
        using var manifests = new RegistryManifest(docker, new Registry(HttpStatusCode.NotFound));
        Assert.IsNull(manifests.Digest("127.0.0.1:5000/shop/api:1.0"));
        Assert.IsEmpty(docker.Calls);
    }

    [TestMethod]
    public void AnImageThatNamesItsDigestIsNotAsked()
    {
        var registry = new Registry(HttpStatusCode.OK);
        using var manifests = new RegistryManifest(new Docker("unused"), registry);
        Assert.AreEqual("sha256:" + new string('b', 64), manifests.Digest(Image));
        Assert.IsEmpty(registry.Asked);
    }
}
