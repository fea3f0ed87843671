using System.Text.Json;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Plan;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// One project's build report, written where its publish keeps it: stevedore-report.json and .prom from the build's
/// progress and metadata, with a warning (STV3009) per cache export that failed while the build went on.
/// <see cref="WriteBuildReport"/> writes a single build's; a solution's bake writes one per project from its part of
/// the bake's progress. Everything it names comes from the project's <see cref="BuildPlan"/>.
/// </summary>
internal sealed class ProjectReport
{
    /// <summary>The project's build plan: platforms, cache export, images, output, modes and the report's folder.</summary>
    public required BuildPlan Plan { get; init; }

    /// <summary>The raw image index of a pushed image (from its registry), or null.</summary>
    public Func<string, string?> ReadPushedIndex { get; init; } = PlatformDigests.FromRegistry;

    /// <summary>Folder for stevedore-report.json and stevedore-report.prom.</summary>
    public string ReportDirectory => Plan.Files.ReportDirectory ?? throw new InvalidOperationException("The build plan names no report folder.");

    public string ReportFile => Path.Combine(ReportDirectory, "stevedore-report.json");

    public string MetricsFile => Path.Combine(ReportDirectory, "stevedore-report.prom");

    /// <summary>The report of <paramref name="progress"/> and <paramref name="metadata"/>, written to <see cref="ReportDirectory"/>.</summary>
    public BuildReport Write(BuildProgress progress, JsonElement? metadata, TaskLoggingHelper log)
    {
        var platforms = Plan.Platforms.Select(p => p.ToString()).ToList();
        var cacheTo = Plan.CacheTo.FirstOrDefault()?.Location;
        var report = BuildReport.Create(progress, platforms, cacheTo, metadata, [.. Plan.Images], ReadPlatformDigests(metadata, platforms, log)) with
        {
            BuildMode = Plan.BuildMode,
            BuildModeReason = Plan.BuildModeReason,
            OsPackageInstall = Plan.OsPackageInstallMode,
            OsPackageInstallReason = Plan.OsPackageInstallReason,
            Tests = Plan.Files.TestResults is not { } results || !Directory.Exists(results) ? null
                : Buildx.TestResults.Read(results) is var tests ? new TestReport(tests.Passed, tests.Failed, tests.Skipped, tests.FailedTests) : null,
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

        var index = Plan.ArchivePath is { } archive ? PlatformDigests.FromArchive(archive)
            : Plan.Push && Plan.Images.Count > 0 ? ReadPushedIndex((Stevedore.Tasks.Images.ImageReference.Parse(Plan.Images[0], "ContainerRegistry") with { Tag = null, Digest = digest }).ToString())
            : null;
        if (index is null)
        {
            log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "Stevedore: the image index {0} could not be read; the report names the index digest only.", digest);
            return null;
        }

        return PlatformDigests.FromIndex(index);
    }
}
