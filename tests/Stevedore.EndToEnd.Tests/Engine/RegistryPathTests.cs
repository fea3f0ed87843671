using Stevedore.EndToEnd.Tests.Go;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Engine;

/// <summary>
/// ContainerRegistry with a path, as GHCR, Docker Hub and Harbor users write it (ghcr.io/my-org): the sample is pushed
/// for both platforms under the path, and the registry-less ContainerCacheRef lands there too.
/// </summary>
[TestClass]
public sealed class RegistryPathTests
{
    private const string Namespace = "my-org";

    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void ARegistryWithAPathPrefixesTheRepositoryOfTheImageAndTheCache()
    {
        var sample = new GoSample(nameof(ARegistryWithAPathPrefixesTheRepositoryOfTheImageAndTheCache));
        var registry = $"{Repo.Registry}/{Namespace}";
        var cacheBranch = "path-" + sample.Tag;

        var output = sample.Publish($"ContainerRegistry={registry}", "ContainerCacheRef=go-api-cache", $"ContainerCacheBranch={cacheBranch}").Output;

        // Pushed under the prefix: `--push`, or the image exporter with push=true when the commit dates the image.
        StringAssert.Matches(output, new System.Text.RegularExpressions.Regex(
            System.Text.RegularExpressions.Regex.Escape($"--tag {registry}/{GoSample.Repository}:{sample.Tag} ") + "(--push|--output type=image,push=true)"));
        var pushed = RegistryImage.Find($"{Namespace}/{GoSample.Repository}", sample.Tag);
        Assert.IsNotNull(pushed, $"{registry}/{GoSample.Repository}:{sample.Tag} is not in the registry");
        Assert.IsTrue(pushed.IsIndex, $"the image is a {pushed.MediaType}, not an index");
        CollectionAssert.AreEquivalent(GoSample.Platforms, pushed.Platforms.ToArray());
        Assert.IsNull(RegistryImage.Find(GoSample.Repository, sample.Tag), "the image was also pushed without the path");
        Assert.IsNotNull(Caching.RegistryTags.Digest($"{Namespace}/go-api-cache", cacheBranch), "the branch cache is not under the registry's path");
    }
}
