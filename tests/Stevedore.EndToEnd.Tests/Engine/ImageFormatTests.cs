using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Engine;

/// <summary>The SDK's ContainerImageFormat on the real engine: the pushed two-platform image has the media types asked for.</summary>
[TestClass]
public sealed class ImageFormatTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    [DataRow("Docker", RegistryImage.DockerManifestList)]
    [DataRow("OCI", RegistryImage.OciIndex)]
    public void ThePushedIndexHasTheMediaTypeOfTheFormat(string format, string mediaType)
    {
        var sample = new DotNetSample("image-format-" + format.ToLowerInvariant());

        sample.Publish($"ContainerImageFormat={format}");

        var pushed = RegistryImage.Find(DotNetSample.Repository, sample.Tag);
        Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
        Assert.AreEqual(mediaType, pushed.MediaType);
        CollectionAssert.AreEquivalent(PinnedSample.Platforms, pushed.Platforms.ToArray());
    }
}
