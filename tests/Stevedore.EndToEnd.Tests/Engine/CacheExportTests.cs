using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Engine;

/// <summary>
/// Exported build caches bring a step back after the local cache is gone, as on a fresh CI builder: a small image's RUN
/// step, and samples/dotnet's restore and publish steps for both platforms.
/// Prunes the engine's build cache: never in parallel with other builds.
/// </summary>
[TestClass]
[DoNotParallelize]
[EngineWide]
public sealed class CacheExportTests
{
    private const string Restore = "dotnet restore";

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

    [TestMethod]
    [DataRow("local")]
    [DataRow("registry")]
    public void ExportedCacheBringsRestoreBackAfterPrune(string kind)
    {
        var sample = new DotNetSample($"{kind}-cache");
        var cache = Path.Combine(sample.Root, "cache"); // beside the copy: the copy is the build context
        var cacheRef = $"{Repo.Registry}/{DotNetSample.Repository}-cache:{sample.Tag}";
        var (to, from) = kind == "local"
            ? ($"type=local,dest={cache},mode=max", $"type=local,src={cache}")
            : ($"type=registry,ref={cacheRef},mode=max", $"type=registry,ref={cacheRef}");
        sample.Publish($"ContainerCacheTo={to}");
        var exported = kind == "local" ? File.Exists(Path.Combine(cache, "index.json")) : RegistryImage.Find($"{DotNetSample.Repository}-cache", sample.Tag) is not null;
        Assert.IsTrue(exported, $"ContainerCacheTo={to} exported nothing");

        BuildCache.Prune();
        var rebuild = BuildxProgress.Parse(sample.Publish($"ContainerCacheFrom={from}").Output);

        rebuild.AssertSteps(Restore, cached: true, DotNetSample.Platforms);
        // Nothing changed and the host's bin/ and obj/ are ignored: the whole build comes from the imported cache.
        rebuild.AssertSteps(BuildxProgress.PublishOnce, cached: true, DotNetSample.Platforms);
        DeleteLocalCache(cache); // ~500 MB (mode=max holds the SDK image's layers); kept when the test fails
    }

    private static void DeleteLocalCache(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
