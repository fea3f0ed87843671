using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Engine;

/// <summary>
/// Exported build caches bring a step back after the local cache is gone, as on a fresh CI builder.
/// Prunes the engine's build cache: never in parallel with other builds.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class CacheExportTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void LocalCacheIsHitAfterPrune()
    {
        var image = new SmallImage(nameof(LocalCacheIsHitAfterPrune));
        var cache = Path.Combine(image.Context, "cache");

        AssertRunStep(image.Build("--cache-to", $"type=local,dest={cache},mode=max"), cached: false);
        Assert.IsTrue(File.Exists(Path.Combine(cache, "index.json")), $"no OCI layout in {cache}");
        BuildCache.Prune();

        AssertRunStep(image.Build("--cache-from", $"type=local,src={cache}"), cached: true);
        Directory.Delete(cache, recursive: true); // it holds the base image's layers; kept when the test fails
    }

    [TestMethod]
    public void RegistryCacheIsHitAfterPrune()
    {
        var image = new SmallImage(nameof(RegistryCacheIsHitAfterPrune));
        var cacheRef = $"{Repo.Registry}/e2e/engine-check-cache:{image.Tag}";

        AssertRunStep(image.Build("--cache-to", $"type=registry,ref={cacheRef},mode=max"), cached: false);
        Assert.IsNotNull(RegistryImage.Find("e2e/engine-check-cache", image.Tag), $"{cacheRef} is not in the registry");
        BuildCache.Prune();

        AssertRunStep(image.Build("--cache-from", $"type=registry,ref={cacheRef}"), cached: true);
    }

    private static void AssertRunStep(CommandResult build, bool cached)
    {
        var steps = BuildxProgress.Parse(build.Output);
        foreach (var platform in new[] { "linux/amd64", "linux/arm64" })
        {
            var run = steps.Find("RUN echo", platform);
            Assert.IsNotEmpty(run, $"no RUN step for {platform} in:\n{build.Output}");
            Assert.IsTrue(run.All(s => s.Cached == cached), $"RUN for {platform} should be {(cached ? "" : "not ")}CACHED:\n{steps}\n\n{build.Output}");
        }
    }
}
