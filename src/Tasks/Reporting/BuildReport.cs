using System.Text.Json;
using System.Text.RegularExpressions;

namespace Stevedore.Tasks.Reporting;

/// <summary>One Dockerfile step of one target platform.</summary>
internal sealed record StepReport(string Name, bool Cached, double Seconds, string? Error);

/// <summary>The steps of one target platform: how many, how many CACHED, how long; and the platform's own image digest when known.</summary>
internal sealed record PlatformReport(string Platform, int Steps, int Cached, double CachedRatio, double Seconds, IReadOnlyList<StepReport> StepList, string? Digest = null);

/// <summary>The outcome of the ContainerRunTests run: counts, and the names of the tests that failed.</summary>
internal sealed record TestReport(int Passed, int Failed, int Skipped, IReadOnlyList<string> FailedTests);

/// <summary>A cache import (`importing cache manifest from …`) or export (`exporting cache to …`) and whether it worked.</summary>
internal sealed record CacheReport(string Direction, string Location, bool Succeeded, double Seconds, string? Error);

/// <summary>
/// What one build did, from its rawjson progress and --metadata-file: per target platform the steps, CACHED counts
/// and durations; the cache imports and exports; the image digest. Written as stevedore-report.json and .prom.
/// </summary>
internal sealed partial record BuildReport(
    IReadOnlyList<PlatformReport> Platforms,
    IReadOnlyList<CacheReport> Caches,
    double Seconds,
    string? Digest,
    string? MediaType,
    long? Size,
    string? BuildRef,
    IReadOnlyList<string> Images)
{
    /// <summary>"once" (one restore and compile served every platform) or "per-platform", from the generated Dockerfile.</summary>
    public string? BuildMode { get; init; }

    /// <summary>Why that mode: "framework-dependent…", "PublishReadyToRun", "self-contained"…</summary>
    public string? BuildModeReason { get; init; }

    /// <summary>How ContainerOsPackage items were installed: "unpack" (for the target, on the build platform) or "run" (emulated for a foreign platform); null without packages.</summary>
    public string? OsPackageInstall { get; init; }

    /// <summary>Why that install mode.</summary>
    public string? OsPackageInstallReason { get; init; }

    /// <summary>What the tests run in the container (ContainerRunTests) gave; null when none ran.</summary>
    public TestReport? Tests { get; init; }

    private const string Import = "importing cache manifest from ";
    private const string Export = "exporting cache to ";

    /// <param name="platforms">The requested platforms: a single-platform build's step names carry none.</param>
    /// <param name="cacheTo">Where the export went (the vertex only says "exporting cache to registry").</param>
    /// <param name="metadata">The --metadata-file JSON, or null.</param>
    /// <param name="platformDigests">Each platform's manifest digest from the index (<see cref="PlatformDigests"/>), or null when unknown.</param>
    public static BuildReport Create(BuildProgress progress, IReadOnlyList<string> platforms, string? cacheTo, JsonElement? metadata, IReadOnlyList<string> images, IReadOnlyDictionary<string, string>? platformDigests = null)
    {
        var steps = new List<(string Platform, string Position, BuildVertex Vertex)>();
        var caches = new List<CacheReport>();
        foreach (var vertex in progress.Vertices)
        {
            if (StepName().Match(vertex.Name) is { Success: true } step)
            {
                var platform = step.Groups["platform"].Success ? TargetPlatform(step.Groups["platform"].Value) : platforms.FirstOrDefault() ?? "unknown";
                var position = step.Groups["stage"].Value + " " + step.Groups["position"].Value;
                steps.Add((platform, position, vertex));
            }
            else if (vertex.Name.StartsWith(Import, StringComparison.Ordinal))
            {
                caches.Add(new CacheReport("import", vertex.Name[Import.Length..], vertex.Error is null, Round(vertex.Seconds), vertex.Error));
            }
            else if (vertex.Name.StartsWith(Export, StringComparison.Ordinal))
            {
                caches.Add(new CacheReport("export", cacheTo ?? vertex.Name[Export.Length..], vertex.Error is null, Round(vertex.Seconds), vertex.Error));
            }
        }

        // BuildKit reports a vertex an earlier build on the engine made and this one shares (a FROM, a cached step) with
        // that build's times: the span starts at this build's first vertex (loading the Dockerfile or the bake file).
        var began = progress.Vertices.FirstOrDefault(v => v.Started is not null)?.Started;
        var perPlatform = StepsPerPlatform(steps)
            .OrderBy(g => platforms.ToList().IndexOf(g.Key) is var i && i < 0 ? int.MaxValue : i).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var list = g.Value.Select(v => new StepReport(v.Name, v.Cached, Round(v.Seconds), v.Error)).ToList();
                var cached = list.Count(s => s.Cached);
                return new PlatformReport(g.Key, list.Count, cached, list.Count == 0 ? 0 : Math.Round((double)cached / list.Count, 4), Round(Span(g.Value, began)), list);
            })
            .ToList();

        var (digest, mediaType, size, buildRef) = Buildx.BuildMetadata.From(metadata);

        // A single-platform build's digest is that platform's image; an index's per-platform digests come from the index.
        var single = digest is not null && !IsIndexType(mediaType) && perPlatform.Count == 1 ? digest : null;
        perPlatform = perPlatform
            .Select(p => p with { Digest = platformDigests?.GetValueOrDefault(p.Platform) ?? single })
            .ToList();
        return new BuildReport(perPlatform, caches, Round(Span(progress.Vertices, began)), digest, mediaType, size, buildRef, images);
    }

    /// <summary>One line per platform for the end of publish: the platform's own image digest, else (unknown) the index's, named as such.</summary>
    public IEnumerable<string> Summary() =>
        Platforms.Select(p => FormattableString.Invariant(
            $"Stevedore: {p.Platform}: {p.Cached}/{p.Steps} steps CACHED ({p.CachedRatio * 100:0}%), {p.Seconds:0.0} s{DigestText(p)}"))
        .Concat(Tests is { } tests ? [FormattableString.Invariant($"Stevedore: tests: {tests.Passed} passed, {tests.Failed} failed, {tests.Skipped} skipped")] : []);

    private string DigestText(PlatformReport platform) =>
        platform.Digest is { } own ? ", image " + own + (Digest is not null && Digest != own ? ", index " + Digest : string.Empty)
        : Digest is null ? string.Empty
        : (IsIndexType(MediaType) ? ", index " : ", image ") + Digest;

    private static bool IsIndexType(string? mediaType) =>
        mediaType is "application/vnd.oci.image.index.v1+json" or "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>
    /// The steps each platform ran. BuildKit runs an identical step once for all platforms and names it after one
    /// of them: in a build stage on $BUILDPLATFORM, the COPY lines before anything reads TARGETARCH are shared. A step
    /// counts for every platform that has the same stage but no step of its own at that position.
    /// </summary>
    internal static Dictionary<string, List<BuildVertex>> StepsPerPlatform(IReadOnlyList<(string Platform, string Position, BuildVertex Vertex)> steps)
    {
        var result = steps.Select(s => s.Platform).Distinct(StringComparer.Ordinal).ToDictionary(p => p, _ => new List<BuildVertex>(), StringComparer.Ordinal);
        var stages = steps.Select(s => (s.Platform, Stage: s.Position.Split(' ')[0])).ToHashSet();
        var own = steps.Select(s => (s.Platform, s.Position)).ToHashSet();
        foreach (var (platform, position, vertex) in steps)
        {
            var stage = position.Split(' ')[0];
            foreach (var other in result.Keys)
            {
                if (other == platform || (!own.Contains((other, position)) && stages.Contains((other, stage))))
                {
                    result[other].Add(vertex);
                }
            }
        }

        return result;
    }

    // "linux/amd64->arm64" is a build-platform stage working for an arm64 target.
    internal static string TargetPlatform(string reported) =>
        reported.Split("->") is [var build, var target] ? build[..(build.IndexOf('/') + 1)] + target : reported;

    private static double Span(IEnumerable<BuildVertex> vertices, DateTimeOffset? began)
    {
        var timed = vertices.Where(v => v.Started is not null && v.Completed is not null && (began is null || v.Started >= began)).ToList();
        return timed.Count == 0 ? 0 : Math.Max(0, (timed.Max(v => v.Completed!.Value) - timed.Min(v => v.Started!.Value)).TotalSeconds);
    }

    private static double Round(double seconds) => Math.Round(seconds, 3);

    // [linux/amd64 build 3/9] RUN …, [linux/amd64->arm64 build 3/9] …, [build 3/9] … (one platform), [2/2] … (no stage name).
    [GeneratedRegex(@"^\[(?:(?<platform>[a-z0-9]+/[^\s\]]+)\s+)?(?:(?<stage>[^\s\]]+)\s+)?(?<position>\d+/\d+)\]\s")]
    private static partial Regex StepName();
}
