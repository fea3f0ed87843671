using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>
/// `dotnet publish` of samples/dotnet with the packed Stevedore.Sdk on the real engine: one multi-platform image that
/// runs on both platforms, and a restore layer that is reused exactly when restore's inputs did not change.
/// Some tests prune the engine's build cache: never in parallel with other builds.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SamplePublishTests
{
    private const string Restore = "dotnet restore";

    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void PublishPushesOneIndexWhoseImagesBothAnswerHttp()
    {
        var sample = new DotNetSample(nameof(PublishPushesOneIndexWhoseImagesBothAnswerHttp));

        sample.Publish();

        var pushed = RegistryImage.Find(DotNetSample.Repository, sample.Tag);
        Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
        Assert.IsTrue(pushed.IsIndex, $"{sample.Image} is a {pushed.MediaType}, not an index");
        CollectionAssert.AreEquivalent(DotNetSample.Platforms, pushed.Platforms.ToArray());
        foreach (var (platform, arch) in new[] { ("linux/amd64", "X64"), ("linux/arm64", "Arm64") })
        {
            var answer = AskRoot(sample, platform);
            Assert.AreEqual("api", answer.GetProperty("service").GetString());
            Assert.AreEqual(arch, answer.GetProperty("arch").GetString(), platform);
            Assert.AreEqual("Dotnet api ships two platforms", answer.GetProperty("greeting").GetString(), "Humanizer ran in the image");
        }
    }

    [TestMethod]
    public void SourceEditKeepsRestoreCached()
    {
        var sample = new DotNetSample(nameof(SourceEditKeepsRestoreCached));
        sample.Publish();

        sample.Edit("src/Greetings/Greeter.cs", code => code.Replace(" ships ", $" ships {sample.Tag} "));
        var rebuild = BuildxProgress.Parse(sample.Publish().Output);

        rebuild.AssertSteps(Restore, cached: true, DotNetSample.Platforms);
        rebuild.AssertSteps(BuildxProgress.PublishOnce, cached: false, DotNetSample.Platforms);
        var answer = AskRoot(sample, "linux/amd64");
        Assert.AreEqual($"Dotnet api ships {sample.Tag} two platforms", answer.GetProperty("greeting").GetString(), "the image has the edit");
    }

    [TestMethod]
    public void CentralPackageVersionEditRerunsRestore()
    {
        var sample = new DotNetSample(nameof(CentralPackageVersionEditRerunsRestore));
        sample.Publish();

        // An unused PackageVersion: restore still succeeds offline, but its inputs changed.
        var unused = $"Stevedore.Unused.{sample.Tag.Replace("-", "")}";
        sample.Edit("Directory.Packages.props", props => props.Replace("</ItemGroup>", $"""  <PackageVersion Include="{unused}" Version="1.0.0" />{"\n"}  </ItemGroup>"""));
        var rebuild = BuildxProgress.Parse(sample.Publish().Output);

        rebuild.AssertSteps(Restore, cached: false, DotNetSample.Platforms);
    }

    [TestMethod]
    public void ProjectFileEditRerunsRestore()
    {
        var sample = new DotNetSample(nameof(ProjectFileEditRerunsRestore));
        sample.Publish();

        sample.Edit("src/Greetings/Greetings.csproj", project => project.Replace("</PropertyGroup>", $"  <Description>{sample.Tag}</Description>\n  </PropertyGroup>"));
        var rebuild = BuildxProgress.Parse(sample.Publish().Output);

        rebuild.AssertSteps(Restore, cached: false, DotNetSample.Platforms);
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


    /// <summary>Runs the pushed image for <paramref name="platform"/>, asks GET / and GET /healthz, and removes the container.</summary>
    private static JsonElement AskRoot(DotNetSample sample, string platform)
    {
        var port = RunningApp.FreePort();
        using var container = RunningContainer.Start(sample.Image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
        // arm64 runs under QEMU: an ASP.NET app takes ~15 s to answer there.
        var root = container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromSeconds(90));
        Assert.AreEqual("healthy", container.GetWhenReady($"http://127.0.0.1:{port}/healthz", TimeSpan.FromSeconds(30)));
        return JsonDocument.Parse(root).RootElement.Clone();
    }
}
