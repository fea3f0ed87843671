using System.Text.Json;
using System.Text.RegularExpressions;
using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Bake;

/// <summary>
/// A build spread over two engines on this machine: the main dockerd and a second one of the test's own (its own
/// socket, data-root and containerd), one platform on each, each pushed by digest, one index made of both. In one
/// publish (ContainerPlatformBuilders) and as CI splits it (ContainerPushByDigest per runner, then ContainerMergeDigests).
/// </summary>
[TestClass]
public sealed class SpreadPlatformsTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void PlatformBuildersOnTwoEnginesMakeOneIndexWhoseImagesAnswer()
    {
        using var second = SecondEngine.Start();
        var sample = new DotNetSample(nameof(PlatformBuildersOnTwoEnginesMakeOneIndexWhoseImagesAnswer));

        var result = sample.Publish($"ContainerPlatformBuilders=linux/amd64=default+linux/arm64={second.Name}");

        // arm64 on the second engine (its docker context), amd64 on the main one; each pushed by digest, no tag.
        StringAssert.Matches(result.Output, new Regex($@"docker --context {second.Name} buildx build [^\n]*--platform linux/arm64 "));
        StringAssert.Matches(result.Output, new Regex(@"docker buildx build --builder default [^\n]*--platform linux/amd64 "));
        Assert.IsFalse(Regex.IsMatch(result.Output, $@"--context {second.Name} buildx build [^\n]*--platform linux/amd64"), "amd64 stayed on the main engine");
        StringAssert.Contains(result.Output, "by digest; digest file");
        AssertIndexAnswers(sample);
        Assert.IsTrue(HasBuildCache(second.Name), "the second engine did build");
    }

    [TestMethod]
    public void PushByDigestOnTwoRunnersThenMergeMakesOneIndexWhoseImagesAnswer()
    {
        using var second = SecondEngine.Start();
        var sample = new DotNetSample(nameof(PushByDigestOnTwoRunnersThenMergeMakesOneIndexWhoseImagesAnswer));
        var digests = Path.Combine(sample.Root, "digests");

        // Two "runners": one per platform, each on its own engine, each leaving a digest file and moving no tag.
        sample.Publish("ContainerPushByDigest=true", "ContainerPlatforms=linux/amd64", $"ContainerDigestDirectory={digests}/amd64");
        Assert.IsNull(RegistryImage.Find(DotNetSample.Repository, sample.Tag), "a push by digest moves no tag");
        sample.Publish("ContainerPushByDigest=true", "ContainerPlatforms=linux/arm64", $"ContainerBuilder={second.Name}", $"ContainerDigestDirectory={digests}/arm64");
        var files = Directory.GetFiles(digests, "*.digest", SearchOption.AllDirectories);
        Assert.AreEqual(2, files.Length, string.Join(", ", files));
        StringAssert.StartsWith(File.ReadAllText(files[0]), $"{Repo.Registry}/{DotNetSample.Repository}@sha256:");

        // The merge job: one index from the digest files, with the project's tags.
        var merge = EnginePublish.Arguments(
            "src/Api/Api.csproj", Path.Combine(sample.Root, "merge.binlog"), sample.Tag, [$"ContainerDigestFiles={digests}/amd64/*.digest+{digests}/arm64/*.digest"]);
        merge[0] = "msbuild";
        merge.Add("-t:ContainerMergeDigests");
        EnginePublish.Run(merge, sample.Folder, Path.Combine(sample.Root, "merge.log"));

        AssertIndexAnswers(sample);
        Assert.IsTrue(HasBuildCache(second.Name), "the arm64 runner's engine did build");
    }

    [TestMethod]
    public void MergeWithoutDigestFilesIsCodedError()
    {
        var sample = new DotNetSample(nameof(MergeWithoutDigestFilesIsCodedError));
        var merge = EnginePublish.Arguments(
            "src/Api/Api.csproj", Path.Combine(sample.Root, "merge.binlog"), sample.Tag, [$"ContainerDigestFiles={sample.Root}/none/*.digest"]);
        merge[0] = "msbuild";
        merge.Add("-t:ContainerMergeDigests");

        var result = CommandRunner.Run("dotnet", merge, sample.Folder, new Dictionary<string, string?>(EnginePublish.Environment!), TimeSpan.FromMinutes(5));

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Output, "error STV1405:");
        Assert.IsFalse(result.Output.Contains("   at ", StringComparison.Ordinal), "no stack trace");
    }

    private static void AssertIndexAnswers(DotNetSample sample)
    {
        var pushed = RegistryImage.Find(DotNetSample.Repository, sample.Tag);
        Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
        Assert.IsTrue(pushed.IsIndex, $"{sample.Image} is a {pushed.MediaType}, not an index");
        CollectionAssert.AreEquivalent(EnginePublish.Platforms, pushed.Platforms.ToArray());
        foreach (var (platform, arch) in new[] { ("linux/amd64", "X64"), ("linux/arm64", "Arm64") })
        {
            var port = RunningApp.FreePort();
            using var container = RunningContainer.Start(sample.Image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
            var answer = JsonDocument.Parse(container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3))).RootElement;
            Assert.AreEqual(arch, answer.GetProperty("arch").GetString(), platform);
        }
    }

    // The engine's build cache is not empty: a build ran there (it started empty with the test).
    private static bool HasBuildCache(string context) =>
        Regex.Match(CommandRunner.Docker("--context", context, "buildx", "du").EnsureSuccess().StdOut, @"Total:\s+(?<size>[0-9.]+)") is { Success: true } m
        && double.Parse(m.Groups["size"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0;
}
