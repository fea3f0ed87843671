using System.Text.Json;
using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Caching;

/// <summary>
/// ContainerCacheRef as a CI uses it: a fresh builder on a feature branch restores from main's registry cache, two
/// branches publish at once, a cache registry that is down, and the build report beside what buildx printed. Sets process environment variables and prunes the
/// engine's build cache: never in parallel with other builds.
/// </summary>
[TestClass]
[DoNotParallelize]
[EngineWide]
public sealed class BranchCacheTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void TwoBranchesPublishAtOnceAgainstOneCache()
    {
        var first = new DotNetSample(nameof(TwoBranchesPublishAtOnceAgainstOneCache));
        var second = new DotNetSample(nameof(TwoBranchesPublishAtOnceAgainstOneCache));
        second.Edit("src/Greetings/Greeter.cs", code => code.Replace(" ships ", $" ships {second.Tag} "));
        var cacheRepository = $"e2e-cache/{first.Tag}/cache";
        var cacheRef = $"ContainerCacheRef={Repo.Registry}/{cacheRepository}";

        var publishes = new[] { (first, "one"), (second, "two") }
            .Select(p => Task.Run(() => p.Item1.Publish(cacheRef, $"ContainerCacheBranch={p.Item2}")))
            .ToArray();
        Task.WaitAll(publishes);

        CollectionAssert.AreEqual(new[] { "one", "two" }, RegistryTags.List(cacheRepository).ToArray());
        foreach (var branch in new[] { "one", "two" })
        {
            var cache = RegistryImage.Find(cacheRepository, branch);
            Assert.IsNotNull(cache);
            Assert.IsTrue(cache.IsIndex, $"{branch}'s cache is a {cache.MediaType}");
        }

        // Usable afterwards: a third publish reads branch one's cache and writes its own.
        second.Publish(cacheRef, "ContainerCacheBranch=three", "ContainerCacheDefaultBranch=one");
        Assert.IsNotNull(RegistryTags.Digest(cacheRepository, "three"));
    }

    [TestMethod]
    public void UnreachableCacheWarnsOrFailsBeforeTheTagMoves()
    {
        var sample = new DotNetSample(nameof(UnreachableCacheWarnsOrFailsBeforeTheTagMoves));
        const string Closed = "127.0.0.1:1/e2e/nowhere:cache";

        var warned = sample.Publish($"ContainerCacheTo=type=registry,ref={Closed},mode=max,ignore-error=true");
        StringAssert.Contains(warned.Output, "warning STV3009");
        var export = Report(sample).GetProperty("caches").EnumerateArray().Single(c => c.GetProperty("direction").GetString() == "export");
        Assert.IsFalse(export.GetProperty("succeeded").GetBoolean());
        Assert.AreEqual(Closed, export.GetProperty("location").GetString());

        var before = RegistryTags.Digest(DotNetSample.Repository, sample.Tag);
        Assert.IsNotNull(before);
        sample.Edit("src/Greetings/Greeter.cs", code => code.Replace(" ships ", $" ships {sample.Tag} "));
        var failed = Assert.ThrowsExactly<InvalidOperationException>(() => sample.Publish($"ContainerCacheTo=type=registry,ref={Closed},mode=max,ignore-error=false"));
        StringAssert.Contains(failed.Message, "error STV3008");
        Assert.AreEqual(before, RegistryTags.Digest(DotNetSample.Repository, sample.Tag), "a failed publish must not move the tag");
    }

    [TestMethod]
    public void FeatureBranchStartsFromMainsCacheOnAFreshBuilder()
    {
        var sample = new DotNetSample(nameof(FeatureBranchStartsFromMainsCacheOnAFreshBuilder));
        var cacheRepository = $"e2e-cache/{sample.Tag}/cache";
        var cacheRef = $"ContainerCacheRef={Repo.Registry}/{cacheRepository}";
        WithBranch("main", () => sample.Publish(cacheRef));
        var mainCache = RegistryTags.Digest(cacheRepository, "main");
        Assert.IsNotNull(mainCache, "publishing main wrote no cache");

        BuildCache.Prune(); // a fresh CI builder: only the registry cache can make a step CACHED
        sample.Edit("src/Greetings/Greeter.cs", code => code.Replace(" ships ", $" ships {sample.Tag} "));
        var feature = WithBranch("feature/x", () => sample.Publish(cacheRef));

        var build = BuildxProgress.Parse(feature.Output);
        foreach (var platform in DotNetSample.Platforms)
        {
            var restore = build.FindServing("dotnet restore", platform);
            Assert.IsNotEmpty(restore, $"no restore step for {platform}:\n{build}");
            Assert.IsTrue(restore.All(s => s.Cached), $"restore for {platform} should come from main's cache:\n{build}");
        }

        var tags = RegistryTags.List(cacheRepository);
        Assert.HasCount(2, tags, string.Join(", ", tags));
        StringAssert.StartsWith(tags.Single(t => t != "main"), "feature-x-");
        Assert.AreEqual(mainCache, RegistryTags.Digest(cacheRepository, "main"), "a feature branch must not write main's cache");

        // (d) The report counts exactly what buildx printed for the same build: every step it lists for a platform was
        // printed with the same CACHED state (a step BuildKit ran once for both platforms counts for each), and every
        // printed step is in the report.
        var report = Report(sample);
        var printed = build.Steps.ToDictionary(s => $"[{s.Platform} {s.Stage}] {s.Instruction}", s => s.Cached);
        var listed = new HashSet<string>();
        foreach (var platform in DotNetSample.Platforms)
        {
            var counted = report.GetProperty("platforms").EnumerateArray().Single(p => p.GetProperty("platform").GetString() == platform);
            var steps = counted.GetProperty("stepList").EnumerateArray()
                .Select(s => (Name: Normalize(s.GetProperty("name").GetString()!), Cached: s.GetProperty("cached").GetBoolean())).ToList();
            foreach (var (name, cached) in steps)
            {
                Assert.IsTrue(printed.TryGetValue(name, out var wasCached), $"{platform}: the report lists a step buildx did not print: {name}\n{build}");
                Assert.AreEqual(wasCached, cached, $"{platform}: {name}");
                listed.Add(name);
            }

            Assert.AreEqual(steps.Count, counted.GetProperty("steps").GetInt32(), platform);
            Assert.AreEqual(steps.Count(s => s.Cached), counted.GetProperty("cached").GetInt32(), platform);
        }

        CollectionAssert.AreEquivalent(printed.Keys.ToList(), listed.ToList(), "every printed step is in the report");

        StringAssert.Contains(feature.Output, "steps CACHED", "publish ends with a summary line per platform");
    }

    private static CommandResult WithBranch(string branch, Func<CommandResult> publish)
    {
        Environment.SetEnvironmentVariable("GITHUB_REF_NAME", branch);
        try
        {
            return publish();
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITHUB_REF_NAME", null);
        }
    }

    // "[linux/amd64->arm64 build 3/13] COPY …" as BuildxProgress keys it: "[linux/arm64 build] COPY …".
    private static string Normalize(string name) =>
        System.Text.RegularExpressions.Regex.Replace(
            name,
            @"^\[(?<build>[a-z0-9]+/)(?:[^\s\]]*->)?(?<arch>[^\s\]]+)\s+(?:(?<stage>[^\s\]]+)\s+)?\d+/\d+\]\s*",
            m => $"[{m.Groups["build"].Value}{m.Groups["arch"].Value} {m.Groups["stage"].Value}] ");

    private static JsonElement Report(DotNetSample sample)
    {
        var file = Directory.EnumerateFiles(sample.Folder, "stevedore-report.json", SearchOption.AllDirectories).Single();
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.Clone();
    }
}
