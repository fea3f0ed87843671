using System.Text.Json;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// One project's build report, written where its publish keeps it: stevedore-report.json and .prom from the build's
/// progress and metadata, with a warning (STV3009) per cache export that failed while the build went on.
/// <see cref="WriteBuildReport"/> writes a single build's; a solution's bake writes one per project from its part of
/// the bake's progress.
/// </summary>
internal sealed class ProjectReport
{
    /// <summary>Folder for stevedore-report.json and stevedore-report.prom.</summary>
    public required string ReportDirectory { get; init; }

    /// <summary>The requested platforms, in order.</summary>
    public string? Platforms { get; init; }

    /// <summary>The --cache-to spec, to name the export in the report.</summary>
    public string? CacheTo { get; init; }

    /// <summary>The image references built.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>The image was pushed: each platform's digest is read back from the pushed index.</summary>
    public bool Push { get; init; }

    /// <summary>ContainerArchiveOutputPath: each platform's digest is read from the archive's index.</summary>
    public string? ArchiveOutputPath { get; init; }

    /// <summary>How the Dockerfile builds the platforms, and why; how OS packages were installed, and why.</summary>
    public string? BuildMode { get; init; }

    public string? BuildModeReason { get; init; }

    public string? OsPackageInstallMode { get; init; }

    public string? OsPackageInstallReason { get; init; }

    /// <summary>ContainerRunTests: the folder its results were exported to; the report counts them when it exists.</summary>
    public string? TestResultsDirectory { get; init; }

    /// <summary>The raw image index of a pushed image (from its registry), or null.</summary>
    public Func<string, string?> ReadPushedIndex { get; init; } = PlatformDigests.FromRegistry;

    public string ReportFile => Path.Combine(ReportDirectory, "stevedore-report.json");

    public string MetricsFile => Path.Combine(ReportDirectory, "stevedore-report.prom");

    /// <summary>The report of <paramref name="progress"/> and <paramref name="metadata"/>, written to <see cref="ReportDirectory"/>.</summary>
    public BuildReport Write(BuildProgress progress, JsonElement? metadata, TaskLoggingHelper log)
    {
        var platforms = ContainerPlatform.ParseList(Platforms).Select(p => p.ToString()).ToList();
        var cacheTo = string.IsNullOrWhiteSpace(CacheTo) ? null : Caching.CacheSpec.Parse(CacheTo!, Caching.CacheDirection.To).Location;
        var report = BuildReport.Create(progress, platforms, cacheTo, metadata, [.. Images], ReadPlatformDigests(metadata, platforms, log)) with
        {
            BuildMode = OrNull(BuildMode),
            BuildModeReason = OrNull(BuildModeReason),
            OsPackageInstall = OrNull(OsPackageInstallMode),
            OsPackageInstallReason = OrNull(OsPackageInstallReason),
            Tests = string.IsNullOrWhiteSpace(TestResultsDirectory) || !Directory.Exists(TestResultsDirectory) ? null
                : Buildx.TestResults.Read(TestResultsDirectory) is var tests ? new TestReport(tests.Passed, tests.Failed, tests.Skipped, tests.FailedTests) : null,
        };

        // Temp file then rename: a reader (the textfile collector) never sees half a file.
        Directory.CreateDirectory(ReportDirectory);
        Files.AtomicFile.Write(ReportFile, BuildReportWriter.ToJson(report));
        Files.AtomicFile.Write(MetricsFile, BuildReportWriter.ToOpenMetrics(report));

        foreach (var failed in report.Caches.Where(c => c.Direction == "export" && !c.Succeeded))
        {
            log.LogWarningWithCodeFromResources("CacheExportFailed", failed.Location, failed.Error ?? "unknown error");
        }

        return report;
    }

    // Only for a multi-platform build that produced an index; an image loaded into the engine has no index to read here.
    private IReadOnlyDictionary<string, string>? ReadPlatformDigests(JsonElement? metadata, IReadOnlyList<string> platforms, TaskLoggingHelper log)
    {
        if (platforms.Count < 2 || Buildx.BuildMetadata.From(metadata).Digest is not { } digest)
        {
            return null;
        }

        var index = !string.IsNullOrWhiteSpace(ArchiveOutputPath) ? PlatformDigests.FromArchive(ArchiveOutputPath)
            : Push && Images.Count > 0 ? ReadPushedIndex((Stevedore.Tasks.Images.ImageReference.Parse(Images[0], "ContainerRegistry") with { Tag = null, Digest = digest }).ToString())
            : null;
        if (index is null)
        {
            log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "Stevedore: the image index {0} could not be read; the report names the index digest only.", digest);
            return null;
        }

        return PlatformDigests.FromIndex(index);
    }

    private static string? OrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
