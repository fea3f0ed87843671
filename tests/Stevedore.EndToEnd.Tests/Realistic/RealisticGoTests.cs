using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Realistic;

/// <summary>
/// samples/realistic-go (chi, viper, zerolog, uuid, the Prometheus client: 32 modules vendored from Debian's Go
/// sources) published once for both platforms with a registry cache: each platform's image serves its orders and
/// metrics as the non-root user, and a fresh builder (a second dockerd with an empty build cache) takes the whole
/// build of both platforms from the registry cache. The vendored modules travel with the sources (no `go mod
/// download` step), so the vendor/ sources layer and `go build` are what the cache supplies.
/// </summary>
[TestClass]
public sealed class RealisticGoTests
{
    private static RealisticGoSample sample = null!;
    private static string cacheRef = null!;

    [ClassInitialize]
    public static void PublishOnceWithARegistryCache(TestContext context)
    {
        Stevedore.Testing.Engine.Require();
        sample = new RealisticGoSample("realistic-go");
        cacheRef = $"{Repo.Registry}/e2e-cache/{sample.Tag}/realistic-go:main";
        sample.Publish($"ContainerCacheTo=type=registry,ref={cacheRef},mode=max");
    }

    [TestMethod]
    public void BothPlatformsServeOrdersAndMetricsAsNonRoot()
    {
        var pushed = RegistryImage.Find(RealisticGoSample.Repository, sample.Tag);
        Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
        Assert.IsTrue(pushed.IsIndex, $"{sample.Image} is a {pushed.MediaType}, not an index");
        CollectionAssert.AreEquivalent(PinnedSample.Platforms, pushed.Platforms.ToArray());

        foreach (var arch in new[] { "amd64", "arm64" })
        {
            var port = RunningApp.FreePort();
            using var container = RunningContainer.Start(sample.Image, "linux/" + arch, [$"PORT={port}"]);

            var root = RealisticPublish.Json(container, $"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3));
            Assert.AreEqual("orders-go", root.GetProperty("service").GetString());
            Assert.AreEqual(arch, root.GetProperty("arch").GetString(), "runtime.GOARCH of the linux/" + arch + " image");

            // Seeded from the embedded YAML through viper, served by chi.
            var orders = RealisticPublish.Json(container, $"http://127.0.0.1:{port}/orders", TimeSpan.FromMinutes(3));
            Assert.AreEqual(3, orders.GetArrayLength(), orders.ToString());
            Assert.AreEqual("Grace Hopper", orders[1].GetProperty("customer").GetString());
            Assert.AreEqual(4440, orders[1].GetProperty("totalCents").GetInt64());

            // The Prometheus client counted the requests above, labelled by chi's route pattern.
            var metrics = container.GetWhenReady($"http://127.0.0.1:{port}/metrics", TimeSpan.FromMinutes(3));
            StringAssert.Contains(metrics, "orders_http_requests_total{code=\"200\",route=\"/orders\"} ");
            Assert.AreEqual("65532:65532", RealisticPublish.ConfiguredUser(container), arch);
        }
    }

    [TestMethod]
    public void FreshBuilderTakesTheWholeBuildOfBothPlatformsFromTheRegistryCache()
    {
        using var engine = FreshEngine.Start();
        Assert.AreEqual(0, engine.BuildCacheRecords(), "a fresh engine has an empty build cache");

        var tag = sample.Tag + "-fresh";
        var build = BuildxProgress.Parse(RealisticPublish.On(engine, sample, $"ContainerCacheFrom=type=registry,ref={cacheRef}", $"ContainerImageTags={tag}").Output);

        // Steps before `ARG TARGETARCH` are shared by both platforms (buildx names the build platform for them).
        var sources = build.Steps.Where(s => s.Stage == "build" && s.Instruction.StartsWith("COPY", StringComparison.Ordinal)).ToList();
        Assert.IsNotEmpty(sources, $"no COPY of the sources and vendor/:\n{build}");
        Assert.IsTrue(sources.All(s => s.Cached), $"the sources and vendor/ should come from the registry cache:\n{build}");
        build.AssertSteps("go build", cached: true, PinnedSample.Platforms);
        Assert.IsGreaterThan(0, engine.BuildCacheRecords(), "the publish built on the fresh engine");

        var port = RunningApp.FreePort();
        using var container = RunningContainer.Start($"{Repo.Registry}/{RealisticGoSample.Repository}:{tag}", "linux/arm64", [$"PORT={port}"]);
        Assert.AreEqual("arm64", RealisticPublish.Json(container, $"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3)).GetProperty("arch").GetString());
    }
}
