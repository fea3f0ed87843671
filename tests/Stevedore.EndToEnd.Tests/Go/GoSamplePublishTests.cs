using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Go;

/// <summary>
/// `dotnet publish` of samples/go (api.goproj) with the packed Stevedore.Sdk on the real engine: one multi-platform
/// image, cross-compiled on the build platform, whose images both answer with their GOARCH; and a `go mod download`
/// layer that is reused exactly when the module files did not change.
/// </summary>
[TestClass]
public sealed class GoSamplePublishTests
{
    private const string Download = "go mod download";

    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void PublishPushesOneIndexWhoseImagesReportTheirArchitecture()
    {
        var sample = new GoSample(nameof(PublishPushesOneIndexWhoseImagesReportTheirArchitecture));

        var output = sample.Publish().Output;

        var pushed = RegistryImage.Find(GoSample.Repository, sample.Tag);
        Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
        Assert.IsTrue(pushed.IsIndex, $"{sample.Image} is a {pushed.MediaType}, not an index");
        CollectionAssert.AreEquivalent(GoSample.Platforms, pushed.Platforms.ToArray());
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            var answer = AskRoot(sample, "linux/" + arch);
            Assert.AreEqual("go-api", answer.GetProperty("service").GetString());
            Assert.AreEqual(arch, answer.GetProperty("arch").GetString(), "runtime.GOARCH of the linux/" + arch + " image");
            Assert.AreEqual("Hello, Go api", answer.GetProperty("greeting").GetString(), "the local replace module is in the binary");
        }

        // Cross-compiled: the arm64 go build ran on the amd64 build platform, and no build step ran emulated.
        var build = BuildxProgress.Parse(output);
        StringAssert.Contains(output, "[linux/amd64->arm64 build ");
        Assert.IsNotEmpty(build.Find("go build", "linux/arm64"), $"no go build step for linux/arm64:\n{build}");
        Assert.DoesNotContain("[linux/arm64 build ", output, "a build stage step ran emulated on arm64");
    }

    [TestMethod]
    public void SourceEditKeepsTheDownloadCached()
    {
        var sample = new GoSample(nameof(SourceEditKeepsTheDownloadCached));
        sample.Publish();

        sample.Edit("greet/greet.go", code => code.Replace("\"Hello, \"", $"\"Hello {sample.Tag}, \""));
        var rebuild = BuildxProgress.Parse(sample.Publish().Output);

        AssertSteps(rebuild, Download, cached: true);
        AssertSteps(rebuild, "go list -e", cached: true); // the standard library and modules, compiled ahead
        AssertSteps(rebuild, "go build -trimpath -ldflags", cached: false);
        Assert.AreEqual($"Hello {sample.Tag}, Go api", AskRoot(sample, "linux/amd64").GetProperty("greeting").GetString(), "the image has the edit");
    }

    [TestMethod]
    public void GoModEditRerunsTheDownload()
    {
        var sample = new GoSample(nameof(GoModEditRerunsTheDownload));
        sample.Publish();

        sample.Edit("go.mod", mod => mod + $"\n// {sample.Tag}\n");
        var rebuild = BuildxProgress.Parse(sample.Publish().Output);

        AssertSteps(rebuild, Download, cached: false);
    }

    /// <summary>
    /// Every <paramref name="instruction"/> step is (or is not) CACHED. Steps before `ARG TARGETARCH` are shared by
    /// both platforms, so buildx may report them once, under the build platform.
    /// </summary>
    private static void AssertSteps(BuildxProgress build, string instruction, bool cached)
    {
        var steps = GoSample.Platforms.SelectMany(p => build.Find(instruction, p)).ToList();
        Assert.IsNotEmpty(steps, $"no `{instruction}` step among the build's steps:\n{build}");
        Assert.IsTrue(steps.All(s => s.Cached == cached), $"`{instruction}` should {(cached ? "" : "not ")}be CACHED:\n{build}");
    }

    /// <summary>Runs the pushed image for <paramref name="platform"/> on a free loopback port, asks GET / and removes the container.</summary>
    private static JsonElement AskRoot(GoSample sample, string platform)
    {
        var port = RunningContainer.FreePort();
        using var container = RunningContainer.Start(sample.Image, platform, [$"PORT={port}"]);
        var root = container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3));
        return JsonDocument.Parse(root).RootElement.Clone();
    }
}
