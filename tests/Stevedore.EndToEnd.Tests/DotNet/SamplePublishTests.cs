using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>
/// `dotnet publish` of samples/dotnet with the packed Stevedore.Sdk on the real engine: one multi-platform image that
/// runs on both platforms, and a restore layer that is reused exactly when restore's inputs did not change.
/// (The restore layer brought back by an exported cache after a prune is CacheExportTests'.)
/// </summary>
[TestClass]
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

    // The edited file carries a time older than anything the first publish compiled: the compile step's kept obj/
    // folders (ContainerCompileCache) must still compile it, or the image would serve the old greeting.
    [TestMethod]
    public void SourceEditKeepsRestoreCached()
    {
        var sample = new DotNetSample(nameof(SourceEditKeepsRestoreCached));
        sample.Publish();

        sample.Edit("src/Greetings/Greeter.cs", code => code.Replace(" ships ", $" ships {sample.Tag} "), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
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

    /// <summary>Runs the pushed image for <paramref name="platform"/>, asks GET / and GET /healthz, and removes the container.</summary>
    private static JsonElement AskRoot(DotNetSample sample, string platform)
    {
        var port = RunningApp.FreePort();
        using var container = RunningContainer.Start(sample.Image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
        // arm64 runs under QEMU: an ASP.NET app takes ~15 s to answer there.
        var root = container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3));
        Assert.AreEqual("healthy", container.GetWhenReady($"http://127.0.0.1:{port}/healthz", TimeSpan.FromMinutes(3)));
        return JsonDocument.Parse(root).RootElement.Clone();
    }
}
