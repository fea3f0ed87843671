using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;
using Stevedore.Testing.Faults;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>
/// A flaky registry, not a dead one: `dotnet publish` of samples/dotnet for both platforms through the fault proxy in
/// front of a registry of the test's own (fresh per run, so every blob is really uploaded; the build itself comes from
/// the engine's cache, warmed once for the class). Every run ends in a whole image under the tag (the index, every child
/// manifest and every blob read back) or in one coded error with no tag. Each run prints one line: attempts, faults,
/// final state. Probabilistic rules run with three seeds; a failing seed replays with the same seed.
/// </summary>
[TestClass]
public sealed partial class TransientRegistryFaultTests
{
    private static readonly int[] Seeds = [1, 2, 3];
    private static DotNetSample? sample;

    [ClassInitialize]
    public static void WarmBuild(TestContext context)
    {
        Stevedore.Testing.Engine.Require();
        sample = new DotNetSample("transient-faults");
        using var warm = new OwnRegistry(Path.Combine(sample.Root, "warm-registry"));
        sample.Publish($"ContainerRegistry={warm.Address}");
    }

    private static DotNetSample Sample => sample ?? throw new InvalidOperationException("the class warm-up did not run");

    [TestMethod]
    public void ThirtyPercentOfBlobUploadsAnswer503()
    {
        foreach (var seed in Seeds)
        {
            var run = Run("30% of blob uploads 503", seed, new FaultRule(new FaultAction.Status(503), RequestKind.BlobUpload) { Probability = 0.3 });
            run.AssertPushedWhole();
        }
    }

    [TestMethod]
    public void ConnectionsResetMidUpload()
    {
        foreach (var seed in Seeds)
        {
            var run = Run("30% of upload bodies reset", seed, new FaultRule(new FaultAction.Reset(), RequestKind.BlobUpload) { Methods = ["PATCH", "PUT"], Probability = 0.3 });
            run.AssertPushedWhole();
        }
    }

    [TestMethod]
    public void ManifestPutAnswers500Twice()
    {
        var run = Run("manifest PUT 500 twice", 1, new FaultRule(new FaultAction.Status(500), RequestKind.ManifestPut) { Times = 2 });
        run.AssertPushedWhole();
        Assert.AreEqual(2, run.Proxy.Faults.Count, run.Line);
    }

    [TestMethod]
    public void BaseImagePullsAreRateLimitedWithRetryAfter()
    {
        // The base images come through a proxy of their own in front of the shared registry (read only): the first
        // resolve of a dotnet/* manifest opens a 2 s window in which every request gets 429 with Retry-After.
        using var bases = new FaultProxy(Repo.Registry, new FaultPlan(1, new FaultRule(new FaultAction.RateLimit(2), RequestKind.ManifestRead) { Repository = "dotnet/", Times = 1 }));
        var run = Run("429 Retry-After: 2 on base-image pulls", 1, null, bases);
        run.AssertPushedWhole();
        Assert.IsNotEmpty(bases.Faults, $"no base-image request met the rate limit: {bases.Summary()}");
        Assert.IsTrue(run.Attempts > 1, $"BuildKit sends its 429 retries at once, inside the window, so Stevedore must wait and build again: {run.Line}");
        var waited = RetryWait().Matches(run.Result.Output).Select(m => int.Parse(m.Groups["seconds"].Value)).ToList();
        Assert.IsTrue(waited.All(s => s >= 2), $"every attempt waits at least the Retry-After: {string.Join(", ", waited)}");
        StringAssert.Contains(run.Warnings[0], "429 Too Many Requests while resolving the base image dotnet/");
        Console.WriteLine($"  base proxy: {bases.Summary()}");
    }

    [TestMethod]
    public void CacheRegistryAnswering503Always()
    {
        using var cacheRegistry = new OwnRegistry(Path.Combine(Sample.Root, $"cache-registry-{Guid.NewGuid():N}"[..28]));
        var always503 = new FaultRule(new FaultAction.Status(503), Enum.GetValues<RequestKind>());

        // ignore-error=true: BuildKit gives up on the export; the image is pushed and the export reported failed.
        using (var cache = new FaultProxy(cacheRegistry.Address, new FaultPlan(1, always503)))
        {
            var run = Run("cache registry 503 always, ignore-error", 1, null, null, $"ContainerCacheTo=type=registry,ref={cache.Address}/e2e/cache:{Sample.Tag},mode=max,ignore-error=true");
            run.AssertPushedWhole();
            StringAssert.Contains(run.Result.Output, "warning STV3009", run.Line);
            var export = Report().GetProperty("caches").EnumerateArray().Single(c => c.GetProperty("direction").GetString() == "export");
            Assert.IsFalse(export.GetProperty("succeeded").GetBoolean(), "the report says the export failed");
            Assert.IsNotEmpty(cache.Faults);
            Console.WriteLine($"  cache proxy: {cache.Summary()}");
        }

        // Without it: the cache registry is asked first, and the publish ends before anything is pushed.
        using (var cache = new FaultProxy(cacheRegistry.Address, new FaultPlan(1, always503)))
        {
            var run = Run("cache registry 503 always, strict", 1, null, null, $"ContainerCacheTo=type=registry,ref={cache.Address}/e2e/cache:{Sample.Tag},mode=max", "ContainerRegistryRetries=1");
            run.AssertOneError("STV3204");
            StringAssert.Contains(run.Errors[0], cache.Address, "the error names the cache registry");
            StringAssert.Contains(run.Errors[0], "503 Service Unavailable");
            Assert.IsEmpty(run.Proxy.Decisions.Where(d => d.Kind is RequestKind.BlobUpload or RequestKind.ManifestPut).ToList(), "nothing was pushed");
            Console.WriteLine($"  cache proxy: {cache.Summary()}");
        }
    }

    [TestMethod]
    public void PermanentForbiddenPushIsNotRetried()
    {
        var run = Run("403 on every manifest PUT", 1, new FaultRule(new FaultAction.Status(403), RequestKind.ManifestPut));
        run.AssertOneError("STV2004");
        Assert.AreEqual(1, run.Attempts, $"no retry loop: {run.Line}");
        var sends = run.Proxy.Faults.GroupBy(f => FaultPlan.Key(f.Method, f.Path)).Max(g => g.Count());
        Assert.AreEqual(1, sends, $"no request was sent again after its 403: {run.Proxy.Summary()}");
    }

    /// <summary>One publish through a proxy (a fresh registry behind it) with <paramref name="rule"/>; prints the run's line.</summary>
    private static FaultRun Run(string name, int seed, FaultRule? rule, FaultProxy? bases = null, params string[] properties)
    {
        var registry = new OwnRegistry(Path.Combine(Sample.Root, $"registry-{Guid.NewGuid():N}"[..22]));
        var proxy = new FaultProxy(registry.Address, rule is null ? new FaultPlan(seed) : new FaultPlan(seed, rule));
        List<string> arguments = [$"ContainerRegistry={proxy.Address}", .. properties];
        if (bases is not null)
        {
            arguments.Add($"ContainerBaseImageRegistry={bases.Address}");
        }

        var clock = Stopwatch.StartNew();
        var result = CommandRunner.Run("dotnet", Sample.PublishArguments([.. arguments]), Sample.Folder, new Dictionary<string, string?>(DotNetSample.Environment!), TimeSpan.FromMinutes(20));
        clock.Stop();
        proxy.Dispose();
        var log = Path.Combine(Sample.Root, $"run-{Regex.Replace(name, "[^a-z0-9]+", "-")}-seed{seed}.log");
        File.WriteAllText(log, result.Output);
        var run = new FaultRun(name, seed, result, registry, proxy, clock.Elapsed, log);
        Console.WriteLine(run.Line);
        return run;
    }

    private static JsonElement Report()
    {
        var file = Directory.EnumerateFiles(Sample.Folder, "stevedore-report.json", SearchOption.AllDirectories).Single();
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.Clone();
    }

    [GeneratedRegex(@"warning STV3201: [^\r\n]*?attempt \d+ of \d+, in (?<seconds>\d+) s")]
    private static partial Regex RetryWait();

    /// <summary>One faulty publish: what it printed, what the proxy did, what the registry holds.</summary>
    private sealed partial record FaultRun(string Name, int Seed, CommandResult Result, OwnRegistry Registry, FaultProxy Proxy, TimeSpan Elapsed, string Log)
    {
        public IReadOnlyList<string> Warnings => Distinct(Stv3201());

        public IReadOnlyList<string> Errors => Distinct(StvError());

        public int Attempts => 1 + Warnings.Count;

        public string? Tagged { get; } = CompleteImage.Check(Registry.Address, DotNetSample.Repository, Sample.Tag, DotNetSample.Platforms);

        public string Line =>
            $"RUN | {Name} | seed {Seed} | exit {Result.ExitCode} | {Elapsed.TotalSeconds:0}s | attempts {Attempts} | {Proxy.Summary()} | "
            + (Tagged is null ? "no tag" : $"tag → {Tagged[..19]}… (index, 2 manifests and their blobs whole)")
            + (Errors.Count > 0 ? " | " + Errors[0] : string.Empty);

        /// <summary>Succeeded, with the tag on a whole two-platform image whose digest Stevedore reported; no error.</summary>
        public void AssertPushedWhole()
        {
            try
            {
                Assert.AreEqual(0, Result.ExitCode, $"{Line}\n(seed {Seed} replays it)\n{Result.Output}");
                Assert.IsEmpty(Errors, Line);
                Assert.IsNotNull(Tagged, $"no tag after a successful publish: {Line}");
                using var metadata = JsonDocument.Parse(File.ReadAllText(Directory.EnumerateFiles(Sample.Folder, "metadata.json", SearchOption.AllDirectories).Single(f => f.Contains("stevedore", StringComparison.Ordinal))));
                Assert.AreEqual(metadata.RootElement.GetProperty("containerimage.digest").GetString(), Tagged, "the tag names the image Stevedore reported");
                Assert.DoesNotContain("   at ", Result.Output, "no stack trace");
            }
            finally
            {
                Registry.Dispose();
            }
        }

        /// <summary>Failed with exactly one coded error, <paramref name="code"/>; no stack trace; no tag.</summary>
        public void AssertOneError(string code)
        {
            try
            {
                Assert.AreNotEqual(0, Result.ExitCode, Line);
                Assert.HasCount(1, Errors, $"exactly one coded error (MSBuild repeats it in its summary): {Line}\n{Result.Output}");
                StringAssert.StartsWith(Errors[0], $"error {code}: ", Line);
                Assert.DoesNotContain("   at ", Result.Output, "no stack trace");
                Assert.IsNull(Tagged, $"a failed publish left a tag: {Line}");
            }
            finally
            {
                Registry.Dispose();
            }
        }

        private List<string> Distinct(Regex pattern) => pattern.Matches(Result.Output).Select(m => m.Value.Trim()).Distinct().ToList();

        [GeneratedRegex(@"warning STV3201: [^\r\n]*")]
        private static partial Regex Stv3201();

        [GeneratedRegex(@"error STV\d{4}: [^\r\n]*")]
        private static partial Regex StvError();
    }
}
