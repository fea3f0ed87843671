using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Engine;

/// <summary>The engine builds one image for amd64 and arm64 and runs the arm64 one under QEMU.</summary>
[TestClass]
public sealed class MultiPlatformBuildTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void PushedImageIsAnIndexOfAmd64AndArm64()
    {
        var image = new SmallImage(nameof(PushedImageIsAnIndexOfAmd64AndArm64));

        var build = image.Build();

        var pushed = RegistryImage.Find(SmallImage.Repository, image.Tag);
        Assert.IsNotNull(pushed, $"{image.Image} is not in the registry after:\n{build.Output}");
        Assert.IsTrue(pushed.IsIndex, $"{image.Image} is a {pushed.MediaType}, not an index");
        CollectionAssert.AreEquivalent(new[] { "linux/amd64", "linux/arm64" }, pushed.Platforms.ToArray(), "--provenance=false: exactly the two platform images");
        var steps = BuildxProgress.Parse(build.Output);
        foreach (var platform in new[] { "linux/amd64", "linux/arm64" })
        {
            Assert.IsNotEmpty(steps.Find("RUN echo", platform), $"no RUN step for {platform} in:\n{steps}");
        }
    }

    [TestMethod]
    [DataRow("linux/arm64", "aarch64")]
    [DataRow("linux/amd64", "x86_64")]
    public void ImageRunsAsItsPlatform(string platform, string machine)
    {
        var image = new SmallImage(nameof(ImageRunsAsItsPlatform));
        image.Build();

        var run = CommandRunner.Docker("run", "--rm", "--pull", "always", "--platform", platform, "--network", "none", image.Image, "sh", "-c", "uname -m; cat /tmp/arch")
            .EnsureSuccess();

        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        CollectionAssert.AreEqual(new[] { machine, machine }, lines, $"uname -m at run time and at build time:\n{run.Output}");
    }
}
