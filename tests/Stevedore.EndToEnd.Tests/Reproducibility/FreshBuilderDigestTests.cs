using System.Text.Json;
using Stevedore.EndToEnd.Tests.Caching;
using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Reproducibility;

/// <summary>
/// Reproducible images: the same commit published on two fresh docker-container builders (no cache shared, each its
/// own buildkitd) gives the same index digest and the same manifest digest for each platform, and the image answers.
/// The commit's time is SOURCE_DATE_EPOCH and the builder's exporter clamps the layers' file times to it.
/// </summary>
[TestClass]
public sealed class FreshBuilderDigestTests
{
    [TestInitialize]
    public void RequireEngine()
    {
        Stevedore.Testing.Engine.Require();
        FreshBuilder.RequireImage(); // fails, not skips: eng/test.sh builds the image before the tests
    }

    [TestMethod]
    public void SameCommitOnTwoFreshBuildersGivesTheSameDigests()
    {
        // Two copies in two repositories, committed alike: the same commit, as two CI runners would check it out.
        var first = new DotNetSample(nameof(SameCommitOnTwoFreshBuildersGivesTheSameDigests) + "-1", standalone: true);
        var second = new DotNetSample(nameof(SameCommitOnTwoFreshBuildersGivesTheSameDigests) + "-2", standalone: true);
        var commit = Commit(first.Checkout);
        Assert.AreEqual(commit, Commit(second.Checkout), "the two copies should be the same commit");

        // Both at once, as two runners would: neither builder shares anything with the other (pulls, cache, buildkitd).
        var publishes = new[] { first, second }.Select(sample => Task.Run(() =>
        {
            using var builder = FreshBuilder.Create(sample.Root);
            return sample.Publish($"ContainerBuilder={builder.Name}");
        })).ToArray();
        Task.WaitAll(publishes);
        AssertRewritesTimestamps(publishes[0].Result);

        var (firstIndex, firstPlatforms) = Digests(first);
        var (secondIndex, secondPlatforms) = Digests(second);
        CollectionAssert.AreEquivalent(DotNetSample.Platforms, firstPlatforms.Keys.ToArray(), $"{first.Image}: {string.Join(", ", firstPlatforms.Keys)}");
        foreach (var platform in DotNetSample.Platforms)
        {
            Assert.AreEqual(firstPlatforms[platform], secondPlatforms.GetValueOrDefault(platform), $"{platform} manifest of {first.Image} and {second.Image} (commit {commit})");
        }

        Assert.AreEqual(firstIndex, secondIndex, $"index digest of {first.Image} and {second.Image} (commit {commit})");

        foreach (var (platform, arch) in new[] { ("linux/amd64", "X64"), ("linux/arm64", "Arm64") })
        {
            var port = RunningApp.FreePort();
            using var container = RunningContainer.Start(second.Image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
            // arm64 runs under QEMU: an ASP.NET app takes ~15 s to answer there.
            using var answer = JsonDocument.Parse(container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3)));
            Assert.AreEqual(arch, answer.RootElement.GetProperty("arch").GetString(), platform);
        }
    }

    /// <summary>Commits the whole copy with a fixed author, committer and date; returns the commit's hash.</summary>
    private static string Commit(string checkout)
    {
        Repo.CommitAll(checkout, "2026-11-30T12:00:00Z");
        return CommandRunner.Run("git", ["rev-parse", "HEAD"], checkout).EnsureSuccess().StdOut.Trim();
    }

    /// <summary>The pushed index's digest, and each platform's manifest digest from `docker buildx imagetools inspect --raw`.</summary>
    private static (string Index, Dictionary<string, string> Platforms) Digests(DotNetSample sample)
    {
        var index = RegistryTags.Digest(DotNetSample.Repository, sample.Tag) ?? throw new AssertFailedException($"{sample.Image} is not in the registry");
        var raw = CommandRunner.Docker("buildx", "imagetools", "inspect", "--raw", sample.Image).EnsureSuccess().StdOut;
        using var json = JsonDocument.Parse(raw);
        var platforms = json.RootElement.GetProperty("manifests").EnumerateArray()
            .Where(m => m.TryGetProperty("platform", out var p) && p.GetProperty("os").GetString() != "unknown")
            .ToDictionary(m => $"{m.GetProperty("platform").GetProperty("os").GetString()}/{m.GetProperty("platform").GetProperty("architecture").GetString()}",
                m => m.GetProperty("digest").GetString()!);
        return (index, platforms);
    }

    /// <summary>The publish asked the exporter for the commit's time and for clamped file times (the builder is not the docker driver).</summary>
    private static void AssertRewritesTimestamps(CommandResult publish) =>
        StringAssert.Contains(publish.Output, "rewrite-timestamp=true", "the publish on a docker-container builder should rewrite timestamps");
}
