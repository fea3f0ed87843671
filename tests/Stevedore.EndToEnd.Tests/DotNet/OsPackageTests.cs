using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>
/// samples/dotnet installs curl with ContainerOsPackage: it runs in both platforms' images, the health check uses it,
/// the image still runs as the app user, and the build report says the packages were unpacked without emulation.
/// </summary>
[TestClass]
public sealed class OsPackageTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void CurlRunsInBothPlatformsImagesAndTheReportNamesTheInstallMode()
    {
        var sample = new DotNetSample(nameof(CurlRunsInBothPlatformsImagesAndTheReportNamesTheInstallMode));

        var publish = sample.Publish();

        StringAssert.Contains(publish.Output, "OS packages curl installed with apt (unpack");
        foreach (var (platform, triplet) in new[] { ("linux/amd64", "x86_64"), ("linux/arm64", "aarch64") })
        {
            var version = CommandRunner.Docker("run", "--rm", "--pull", "always", "--network", "none", "--platform", platform, "--entrypoint", "curl", sample.Image, "--version").EnsureSuccess();
            StringAssert.StartsWith(version.StdOut, "curl ", platform);
            StringAssert.Contains(version.StdOut, triplet, $"{platform}'s own curl");
            var user = CommandRunner.Docker("run", "--rm", "--network", "none", "--platform", platform, "--entrypoint", "id", sample.Image, "-u").EnsureSuccess();
            Assert.AreEqual("1654", user.StdOut.Trim(), $"{platform} image ends as the app user");
            var dpkg = CommandRunner.Docker("run", "--rm", "--network", "none", "--platform", platform, "--entrypoint", "dpkg-query", sample.Image, "-W", "-f", "${Status} ${Architecture}", "curl").EnsureSuccess();
            Assert.AreEqual($"install ok installed {platform[6..]}", dpkg.StdOut.Trim(), "dpkg (and so scanners) knows the package");
            var lists = CommandRunner.Docker("run", "--rm", "--network", "none", "--platform", platform, "--entrypoint", "sh", sample.Image, "-c", "ls /var/lib/apt/lists /var/cache/apt/archives | grep -c '\\.deb$\\|_Packages' || true").EnsureSuccess();
            Assert.AreEqual("0", lists.StdOut.Trim(), "no package lists or .debs in the image");

            // The health check the sample documents, run inside the container.
            var port = RunningApp.FreePort();
            using var container = RunningContainer.Start(sample.Image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
            container.GetWhenReady($"http://127.0.0.1:{port}/healthz", TimeSpan.FromMinutes(3));
            var health = CommandRunner.Docker("exec", container.Id, "curl", "-fsS", $"http://127.0.0.1:{port}/healthz").EnsureSuccess();
            Assert.AreEqual("healthy", health.StdOut.Trim(), platform);
        }

        var generated = Directory.EnumerateDirectories(Path.Combine(sample.Folder, "src", "Api", "obj"), "stevedore", SearchOption.AllDirectories).Single();
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(generated, "stevedore-report.json")));
        Assert.AreEqual("unpack", report.RootElement.GetProperty("osPackageInstall").GetString());
        StringAssert.Contains(File.ReadAllText(Path.Combine(generated, "Dockerfile")), "FROM --platform=$BUILDPLATFORM");
    }
}
