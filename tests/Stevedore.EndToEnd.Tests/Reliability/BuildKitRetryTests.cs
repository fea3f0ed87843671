using System.Diagnostics;
using System.Text.RegularExpressions;
using Stevedore.Testing;
using Stevedore.Testing.Faults;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>
/// What buildx/BuildKit of this engine retries by itself, measured with plain `docker buildx build` (no Stevedore) through
/// the fault proxy: base-image pulls, layer and manifest pushes, cache export and import. Each case asserts the behaviour
/// docs/diagnostics.md ("What is retried, and by whom") describes, so an engine upgrade that changes it fails here.
/// Cheap: a crafted two-platform base image of one small layer and a COPY, no RUN step.
/// </summary>
[TestClass]
public sealed partial class BuildKitRetryTests
{
    private static readonly RequestKind[] Upload = [RequestKind.BlobUpload];

    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    public static IEnumerable<object[]> Cases =>
    [
        ["upload 503 once", Rule(new FaultAction.Status(503), Upload, "e2e/app", times: 1), "", true, true],
        ["upload 503 always", Rule(new FaultAction.Status(503), Upload, "e2e/app"), "", false, false],
        ["upload 500 once", Rule(new FaultAction.Status(500), Upload, "e2e/app", times: 1), "", true, true],
        ["upload reset once", Rule(new FaultAction.Reset(), Upload, "e2e/app", times: 1, methods: ["PATCH", "PUT"]), "", true, true],
        ["upload reset always", Rule(new FaultAction.Reset(), Upload, "e2e/app", methods: ["PATCH", "PUT"]), "", false, false],
        ["upload 429 once", Rule(new FaultAction.Status(429, 2), Upload, "e2e/app", times: 1), "", true, true],
        ["upload 429 always", Rule(new FaultAction.Status(429, 2), Upload, "e2e/app"), "", false, false],
        ["manifest PUT 500 twice", Rule(new FaultAction.Status(500), [RequestKind.ManifestPut], "e2e/app", times: 2), "", true, true],
        ["manifest PUT 500 always", Rule(new FaultAction.Status(500), [RequestKind.ManifestPut], "e2e/app"), "", false, false],
        ["manifest PUT 403", Rule(new FaultAction.Status(403), [RequestKind.ManifestPut], "e2e/app"), "", false, false],
        ["pull manifest 503 once", Rule(new FaultAction.Status(503), [RequestKind.ManifestRead], "e2e/base", times: 1), "", false, false],
        ["pull manifest 503 always", Rule(new FaultAction.Status(503), [RequestKind.ManifestRead], "e2e/base"), "", false, false],
        ["pull manifest 429 ×3", Rule(new FaultAction.Status(429, 2), [RequestKind.ManifestRead], "e2e/base", times: 3), "", true, true],
        ["pull manifest 429 window 2s", Rule(new FaultAction.RateLimit(2), [RequestKind.ManifestRead], "e2e/base", times: 1), "", false, false],
        ["pull blob 503 once", Rule(new FaultAction.Status(503), [RequestKind.BlobRead], "e2e/base", times: 1, methods: ["GET"]), "", false, false],
        ["pull blob 503 always", Rule(new FaultAction.Status(503), [RequestKind.BlobRead], "e2e/base", methods: ["GET"]), "", false, false],
        ["pull blob reset once", Rule(new FaultAction.Reset(), [RequestKind.BlobRead], "e2e/base", times: 1, methods: ["GET"]), "", true, true],
        ["cache export 503 always, ignore-error", Rule(new FaultAction.Status(503), [RequestKind.BlobUpload, RequestKind.ManifestPut], "e2e/cache"), "cache-to,ignore-error=true", true, true],
        ["cache export 503 always", Rule(new FaultAction.Status(503), [RequestKind.BlobUpload, RequestKind.ManifestPut], "e2e/cache"), "cache-to", false, true],
        ["cache export 503 once", Rule(new FaultAction.Status(503), [RequestKind.BlobUpload, RequestKind.ManifestPut], "e2e/cache", times: 1), "cache-to", true, true],
        ["cache import 503 always", Rule(new FaultAction.Status(503), [RequestKind.ManifestRead, RequestKind.BlobRead], "e2e/cache"), "cache-from", true, true],
    ];

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void BuildKitRetriesWhatTheDocsSay(string name, FaultRule rule, string cache, bool succeeds, bool tagged)
    {
        var root = Repo.NewTempFolder("buildkit-retry");
        using var registry = new OwnRegistry(Path.Combine(root, "registry"));
        var tag = BuildCache.NewTag();
        CraftedImage.Push(registry.Address, "e2e/base", tag);
        if (cache == "cache-from")
        {
            // A cache to import: exported by a clean build of another COPY (the import still resolves and reads it).
            CraftedImage.Push(registry.Address, "e2e/cache-seed", tag);
            Build(root, registry.Address, registry.Address, tag, "seed", "--cache-to", $"type=registry,ref={registry.Address}/e2e/cache:{tag},mode=max").EnsureSuccess();
        }

        using var proxy = new FaultProxy(registry.Address, new FaultPlan(1, rule), TimeSpan.FromMinutes(5));
        string[] extra = cache switch
        {
            "cache-to" => ["--cache-to", $"type=registry,ref={proxy.Address}/e2e/cache:{tag},mode=max"],
            "cache-to,ignore-error=true" => ["--cache-to", $"type=registry,ref={proxy.Address}/e2e/cache:{tag},mode=max,ignore-error=true"],
            "cache-from" => ["--cache-from", $"type=registry,ref={proxy.Address}/e2e/cache:{tag}"],
            _ => [],
        };
        var clock = Stopwatch.StartNew();
        var build = Build(root, proxy.Address, proxy.Address, tag, "app", extra);
        clock.Stop();
        proxy.Dispose();

        // Attempts: how often each request that met a fault was sent in all (the same key: upload ids aside).
        var faulted = proxy.Faults.Select(f => FaultPlan.Key(f.Method, f.Path)).ToHashSet();
        var attempts = proxy.Decisions.Where(d => faulted.Contains(FaultPlan.Key(d.Method, d.Path)))
            .GroupBy(d => FaultPlan.Key(d.Method, d.Path)).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        var error = ErrorLine().Matches(build.Output).Select(m => m.Value).LastOrDefault() ?? "-";
        var pushed = registry.Digest("e2e/app", tag) is not null;
        Console.WriteLine($"MEASURED | {name} | exit {build.ExitCode} | {clock.Elapsed.TotalSeconds:0}s | {proxy.Faults.Count} faults | most sends of one request {attempts} | tag {(pushed ? "pushed" : "absent")} | {proxy.Summary()} | {error}");
        File.WriteAllText(Path.Combine(root, "build.log"), build.Output);

        Assert.AreEqual(succeeds, build.ExitCode == 0, $"{name}: {proxy.Summary()}\n{build.Output}");
        // A cache export that fails without ignore-error fails the build after the image was pushed: the tag moved.
        Assert.AreEqual(tagged, pushed, $"{name}: the tag is {(pushed ? "there" : "absent")}");
    }

    private static FaultRule Rule(FaultAction action, RequestKind[] kinds, string repository, int? times = null, string[]? methods = null) =>
        new(action, kinds) { Repository = repository, Times = times, Methods = methods ?? [] };

    private static CommandResult Build(string root, string from, string to, string tag, string name, params string[] extra)
    {
        var context = Path.Combine(root, name);
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "id"), $"{name} {tag} {Guid.NewGuid():N}\n");
        var baseRepository = name == "seed" ? "e2e/cache-seed" : "e2e/base";
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {from}/{baseRepository}:{tag}\nCOPY id /id\n");
        return CommandRunner.Run(
            "docker",
            ["buildx", "build", "--platform", "linux/amd64,linux/arm64", "--provenance=false", "--progress=plain", "--push",
             "-t", $"{to}/e2e/{(name == "seed" ? "seed" : "app")}:{tag}", .. extra, context],
            timeout: TimeSpan.FromMinutes(5));
    }

    [GeneratedRegex(@"(?m)^ERROR: .*$")]
    private static partial Regex ErrorLine();
}
