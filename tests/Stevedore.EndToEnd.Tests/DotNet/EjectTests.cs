using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>
/// `dotnet publish -p:ContainerEject=true` of samples/dotnet in a repository of its own, then what a user does next: take
/// Stevedore.Sdk out of the project, global.json and the feed, and build the ejected Dockerfile with plain
/// `docker buildx build` for both platforms, as its header says. Both images must answer HTTP.
/// </summary>
[TestClass]
public sealed partial class EjectTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void EjectedDockerfileBuildsBothPlatformsWithoutStevedore()
    {
        var sample = new DotNetSample(nameof(EjectedDockerfileBuildsBothPlatformsWithoutStevedore), standalone: true);
        sample.Publish("ContainerEject=true");
        var dockerfile = Path.Combine(sample.Folder, "src", "Api", "Dockerfile");
        var text = File.ReadAllText(dockerfile);
        Assert.IsTrue(File.Exists(dockerfile + ".dockerignore"));
        Assert.DoesNotContain("EnableStevedore", text);
        Assert.DoesNotContain("core-slots", text);
        Assert.DoesNotContain("stevedore_obj", text, "no kept obj/ folders: plain docker buildx build needs nothing of Stevedore");
        Assert.DoesNotContain("-t:Stevedore", text);

        // What the header asks first: no Stevedore.Sdk in the project or global.json; and none in the feed either, so a
        // restore that still needed it would fail.
        sample.Edit("src/Api/Api.csproj", project => project.Replace("<Sdk Name=\"Stevedore.Sdk\" />", string.Empty, StringComparison.Ordinal));
        sample.Edit("global.json", json =>
        {
            var root = JsonNode.Parse(json)!.AsObject();
            Assert.IsTrue(root.Remove("msbuild-sdks"), "the sample names Stevedore.Sdk in global.json");
            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        });
        var feed = Path.Combine(sample.Checkout, "artifacts", "packages");
        var packages = Directory.GetFiles(feed, "Stevedore.Sdk.*.nupkg");
        Assert.IsNotEmpty(packages);
        foreach (var package in packages)
        {
            File.Delete(package);
        }

        // The command the header gives, run from the build context's root, plus the test engine's settings.
        var command = BuildCommand().Match(text);
        Assert.IsTrue(command.Success, text);
        var relative = command.Groups["file"].Value;
        var context = dockerfile[..^relative.Length];
        Assert.AreEqual(Path.Combine(context, relative), dockerfile, "the header names the Dockerfile relative to the context root");
        Assert.AreEqual(string.Join(',', DotNetSample.Platforms), command.Groups["platforms"].Value);
        var image = $"{Repo.Registry}/samples/dotnet-ejected:{sample.Tag}";
        var build = CommandRunner.Run("docker", ["buildx", "build", "--platform", command.Groups["platforms"].Value, "--network", "host",
            "--progress", "plain", "-f", relative, "--tag", image, "--push", "."], context, timeout: TimeSpan.FromMinutes(20));
        File.WriteAllText(Path.Combine(sample.Root, "ejected-build.log"), build.Output);
        build.EnsureSuccess();
        StringAssert.Contains(build.Output, "linux/amd64->arm64", "the arm64 publish ran on the build platform, cross-compiled");

        foreach (var (platform, arch) in new[] { ("linux/amd64", "X64"), ("linux/arm64", "Arm64") })
        {
            var port = RunningApp.FreePort();
            using var container = RunningContainer.Start(image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
            // arm64 runs under QEMU: an ASP.NET app takes ~15 s to answer there.
            var answer = JsonDocument.Parse(container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3))).RootElement;
            Assert.AreEqual(arch, answer.GetProperty("arch").GetString(), platform);
            Assert.AreEqual("Dotnet api ships two platforms", answer.GetProperty("greeting").GetString(), "Humanizer ran in the image");
        }
    }

    [GeneratedRegex(@"^#\s+docker buildx build --platform (?<platforms>\S+) -f (?<file>\S+) \.$", RegexOptions.Multiline)]
    private static partial Regex BuildCommand();
}
