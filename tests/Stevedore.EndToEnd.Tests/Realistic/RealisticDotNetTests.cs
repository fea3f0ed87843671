using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Realistic;

/// <summary>
/// samples/realistic-dotnet (ASP.NET Core, EF Core on SQLite and Npgsql, Serilog, Swashbuckle, OpenTelemetry, Polly,
/// FluentValidation: ~100 packages) published once for both platforms with a registry cache: each platform's image
/// serves orders read through EF Core as the non-root user, and a fresh builder (a second dockerd with an empty build
/// cache) takes the restore layer of both platforms from the registry cache.
/// </summary>
[TestClass]
public sealed class RealisticDotNetTests
{
    private static RealisticDotNetSample sample = null!;
    private static string cacheRef = null!;

    [ClassInitialize]
    public static void PublishOnceWithARegistryCache(TestContext context)
    {
        Stevedore.Testing.Engine.Require();
        sample = new RealisticDotNetSample("realistic-dotnet");
        cacheRef = $"{Repo.Registry}/e2e-cache/{sample.Tag}/realistic-dotnet:main";
        sample.Publish($"ContainerCacheTo=type=registry,ref={cacheRef},mode=max");
    }

    [TestMethod]
    public void BothPlatformsServeOrdersFromEfCoreAsNonRoot()
    {
        var pushed = RegistryImage.Find(RealisticDotNetSample.Repository, sample.Tag);
        Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
        Assert.IsTrue(pushed.IsIndex, $"{sample.Image} is a {pushed.MediaType}, not an index");
        CollectionAssert.AreEquivalent(PinnedSample.Platforms, pushed.Platforms.ToArray());

        foreach (var (platform, arch) in new[] { ("linux/amd64", "X64"), ("linux/arm64", "Arm64") })
        {
            var port = RunningApp.FreePort();
            string[] environment = [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"];
            using var container = RunningContainer.Start(sample.Image, platform, environment);

            // arm64 runs under QEMU: EF Core's model building and the SQLite seeding take a while there.
            var root = RealisticPublish.Json(container, $"http://127.0.0.1:{port}/", TimeSpan.FromSeconds(180));
            Assert.AreEqual("orders-api", root.GetProperty("service").GetString());
            Assert.AreEqual(arch, root.GetProperty("arch").GetString(), platform);
            Assert.AreEqual("Sqlite", root.GetProperty("database").GetString());

            var orders = RealisticPublish.Json(container, $"http://127.0.0.1:{port}/orders", TimeSpan.FromMinutes(3));
            Assert.AreEqual(3, orders.GetArrayLength(), $"{platform}: the seeded orders, read back through EF Core: {orders}");
            Assert.AreEqual("Grace Hopper", orders[1].GetProperty("customer").GetString(), platform);
            Assert.AreEqual(44.40m, orders[1].GetProperty("total").GetDecimal(), $"{platform}: both lines of the second order");
            Assert.AreEqual("Healthy", container.GetWhenReady($"http://127.0.0.1:{port}/healthz", TimeSpan.FromMinutes(3)), "EF Core's health check");

            // The SQLite file was created and written by the image's non-root user (in /tmp).
            Assert.AreEqual("1654", RealisticPublish.ConfiguredUser(container), platform);
            Assert.AreEqual("1654", CommandRunner.Docker("exec", container.Id, "id", "-u").EnsureSuccess().StdOut.Trim(), platform);
        }
    }

    [TestMethod]
    public void FreshBuilderRestoresBothPlatformsFromTheRegistryCache()
    {
        using var engine = FreshEngine.Start();
        Assert.AreEqual(0, engine.BuildCacheRecords(), "a fresh engine has an empty build cache");

        // A source edit: publish must run again, restore must not, and only the registry cache can supply it.
        var tag = sample.Tag + "-fresh";
        sample.Edit("src/Orders.Api/Program.cs", code => code.Replace("service = \"orders-api\",", $"service = \"orders-api-{tag}\","));
        var build = BuildxProgress.Parse(RealisticPublish.On(engine, sample, $"ContainerCacheFrom=type=registry,ref={cacheRef}", $"ContainerImageTags={tag}").Output);

        build.AssertSteps("dotnet restore", cached: true, PinnedSample.Platforms);
        build.AssertSteps(BuildxProgress.PublishOnce, cached: false, PinnedSample.Platforms);
        Assert.IsGreaterThan(0, engine.BuildCacheRecords(), "the publish built on the fresh engine");

        var port = RunningApp.FreePort();
        using var container = RunningContainer.Start($"{Repo.Registry}/{RealisticDotNetSample.Repository}:{tag}", "linux/amd64", [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
        var root = RealisticPublish.Json(container, $"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3));
        Assert.AreEqual($"orders-api-{tag}", root.GetProperty("service").GetString(), "the image has the edit");
        Assert.AreEqual(3, RealisticPublish.Json(container, $"http://127.0.0.1:{port}/orders", TimeSpan.FromMinutes(3)).GetArrayLength());
    }
}
