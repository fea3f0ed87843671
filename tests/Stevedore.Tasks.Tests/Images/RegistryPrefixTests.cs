using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Tests.Images;

[TestClass]
public sealed class RegistryPrefixTests
{
    [TestMethod]
    [DataRow("127.0.0.1:5000", "127.0.0.1:5000", null)]
    [DataRow("ghcr.io/my-org", "ghcr.io", "my-org")]
    [DataRow("docker.io/user", "docker.io", "user")]
    [DataRow("harbor.example.com/project", "harbor.example.com", "project")]
    [DataRow("127.0.0.1:5000/my-org", "127.0.0.1:5000", "my-org")]
    [DataRow("registry.example.com/team/sub_group", "registry.example.com", "team/sub_group")]
    [DataRow(" ghcr.io/my-org/ ", "ghcr.io", "my-org")]
    [DataRow("localhost:5000", "localhost:5000", null)]
    public void HostAndPath(string value, string host, string? path) =>
        Assert.AreEqual(new RegistryPrefix(host, path), RegistryPrefix.Parse(value));

    [TestMethod]
    [DataRow("https://ghcr.io/my-org")]
    [DataRow("ghcr.io/My-Org")]
    [DataRow("ghcr.io//my-org")]
    [DataRow("ghcr.io/my org")]
    [DataRow("ghcr.io:http/my-org")]
    [DataRow("/my-org")]
    public void BadRegistryIsStv1004(string value) =>
        Assert.AreEqual("InvalidRegistry", Assert.ThrowsExactly<DiagnosticException>(() => RegistryPrefix.Parse(value)).ResourceName);

    [TestMethod]
    [DataRow("ghcr.io/my-org", "ghcr.io/my-org/shopapi:dev")]
    [DataRow("docker.io/user", "docker.io/user/shopapi:dev")]
    [DataRow("harbor.example.com/project", "harbor.example.com/project/shopapi:dev")]
    [DataRow("127.0.0.1:5000/my-org", "127.0.0.1:5000/my-org/shopapi:dev")]
    [DataRow("127.0.0.1:5000", "127.0.0.1:5000/shopapi:dev")]
    public void TagsLiveUnderThePath(string registry, string tag)
    {
        var engine = new RecordingBuildEngine();
        var task = new ResolveContainerImages
        {
            BuildEngine = engine,
            ComputedBaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0",
            TargetFrameworkVersion = "v10.0",
            Registry = registry,
            Repository = "shopapi",
            Tags = ["dev"],
        };
        Assert.IsTrue(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        CollectionAssert.AreEqual(new[] { tag }, task.ImageReferences);
        // The pushed reference reads back as registry host + prefixed repository, as pinning and probes see it.
        var parsed = ImageReference.Parse(tag, "test");
        Assert.AreEqual(RegistryPrefix.Parse(registry).Host, parsed.Registry);
    }

    [TestMethod]
    public void AMirrorWithAPathPrefixesTheDefaultImages()
    {
        var task = new ResolveContainerImages
        {
            BuildEngine = new RecordingBuildEngine(),
            ComputedBaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0",
            TargetFrameworkVersion = "v10.0",
            BaseImageRegistry = "harbor.example.com/mcr",
            Repository = "shopapi",
            Tags = ["dev"],
        };
        Assert.IsTrue(task.Execute());
        Assert.AreEqual("harbor.example.com/mcr/dotnet/sdk:10.0", task.BuildImage);
        Assert.AreEqual("harbor.example.com/mcr/dotnet/aspnet:10.0", task.BaseImage);
        var address = RegistryAddress.For(ImageReference.Parse("127.0.0.1:5000/my-org/dotnet/aspnet:10.0", "test"));
        Assert.AreEqual("http://127.0.0.1:5000/", address.BaseUri.ToString());
        Assert.AreEqual("my-org/dotnet/aspnet", address.Repository);
    }
}
