using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>ContainerPinBaseImages=true on the real engine: buildx builds from image:tag@sha256:… FROM lines and pushes both platforms.</summary>
[TestClass]
public sealed class PinnedBaseImageTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void PinnedSampleBuildsForBothPlatforms()
    {
        var sample = new DotNetSample(nameof(PinnedSampleBuildsForBothPlatforms));

        sample.Publish("ContainerPinBaseImages=true");

        var dockerfile = File.ReadAllText(Directory.EnumerateFiles(Path.Combine(sample.Folder, "src", "Api", "obj"), "Dockerfile", SearchOption.AllDirectories).Single());
        StringAssert.Contains(dockerfile, $"FROM --platform=$BUILDPLATFORM {Repo.Registry}/dotnet/sdk:10.0@sha256:");
        StringAssert.Contains(dockerfile, $"FROM {Repo.Registry}/dotnet/aspnet:10.0@sha256:");
        var pushed = RegistryImage.Find(DotNetSample.Repository, sample.Tag);
        Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
        CollectionAssert.AreEquivalent(DotNetSample.Platforms, pushed.Platforms.ToArray());
    }
}
