using System.Text.Json;
using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Plan;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// Writes stevedore-report.json and stevedore-report.prom from the build's rawjson progress and metadata file, logs a
/// summary line per platform, and warns (STV3009) for each cache export that failed while the build went on.
/// </summary>
public sealed class WriteBuildReport : StevedoreTask
{
    /// <summary>
    /// The project's build plan (StevedoreBuildPlan): platforms, cache export, images, output, build and OS-package
    /// modes, and the build's files (progress, metadata, test results, the report's folder).
    /// </summary>
    public ITaskItem? Plan { get; set; }

    /// <summary>Seam: the plan itself (tests, and a solution's bake, which has read it); otherwise read from <see cref="Plan"/>.</summary>
    internal BuildPlan? Model { get; set; }

    /// <summary>Seam: the raw image index of a pushed image (from its registry), or null.</summary>
    internal Func<string, string?> ReadPushedIndex { get; set; } = PlatformDigests.FromRegistry;

    [Output]
    public string ReportFile { get; private set; } = string.Empty;

    [Output]
    public string MetricsFile { get; private set; } = string.Empty;

    private BuildPlan Current => Model ??= BuildPlanFile.Read(Plan?.ItemSpec ?? throw new InvalidOperationException("WriteBuildReport needs its Plan."));

    private string ReportDirectory => Current.Files.ReportDirectory ?? throw new InvalidOperationException("The build plan names no report folder.");

    protected override void Run()
    {
        if (Current.Files.Progress is not { } progressFile || !File.Exists(progressFile))
        {
            return; // nothing was built (ContainerBuild=false)
        }

        var progress = BuildProgress.Read(File.ReadLines(progressFile));
        JsonElement? metadata = null;
        if (Current.Files.Metadata is { } metadataFile && File.Exists(metadataFile))
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(metadataFile));
                metadata = json.RootElement.Clone();
            }
            catch (JsonException)
            {
                // BuildContainerImage already reported STV2003; the report goes on without the digest.
            }
        }

        var report = Write(progress, metadata);
        foreach (var line in report.Summary())
        {
            Log.LogMessage(MessageImportance.High, "{0}", line);
        }

        Log.LogMessage(MessageImportance.High, "Stevedore: build report {0}", ReportFile);
    }

    /// <summary>
    /// The report of one build's progress and metadata, written as stevedore-report.json and .prom in
    /// <see cref="ReportDirectory"/>, with a warning (STV3009) per failed cache export. A solution's bake calls it
    /// once per project with that project's part of the progress.
    /// </summary>
    internal BuildReport Write(BuildProgress progress, JsonElement? metadata)
    {
        var plan = Current;
        var platforms = plan.Platforms.Select(p => p.ToString()).ToList();
        var cacheTo = plan.CacheTo.FirstOrDefault()?.Location;
        var report = BuildReport.Create(progress, platforms, cacheTo, metadata, plan.Images, ReadPlatformDigests(metadata, platforms)) with
        {
            BuildMode = plan.BuildMode,
            BuildModeReason = plan.BuildModeReason,
            OsPackageInstall = plan.OsPackageInstallMode,
            OsPackageInstallReason = plan.OsPackageInstallReason,
            Tests = plan.Files.TestResults is not { } results || !Directory.Exists(results) ? null
                : Buildx.TestResults.Read(results) is var tests ? new TestReport(tests.Passed, tests.Failed, tests.Skipped, tests.FailedTests) : null,
        };

        Directory.CreateDirectory(ReportDirectory);
        ReportFile = Path.Combine(ReportDirectory, "stevedore-report.json");
        MetricsFile = Path.Combine(ReportDirectory, "stevedore-report.prom");
        Write(ReportFile, BuildReportWriter.ToJson(report));
        Write(MetricsFile, BuildReportWriter.ToOpenMetrics(report));

        foreach (var failed in report.Caches.Where(c => c.Direction == "export" && !c.Succeeded))
        {
            Log.LogWarningWithCodeFromResources("CacheExportFailed", failed.Location, failed.Error ?? "unknown error");
        }

        return report;
    }

    // Only for a multi-platform build that produced an index; an image loaded into the engine has no index to read here.
    private IReadOnlyDictionary<string, string>? ReadPlatformDigests(JsonElement? metadata, IReadOnlyList<string> platforms)
    {
        if (platforms.Count < 2 || Buildx.BuildMetadata.From(metadata).Digest is not { } digest)
        {
            return null;
        }

        var index = Current.ArchivePath is { } archive ? PlatformDigests.FromArchive(archive)
            : Current.Push && Current.Images.Count > 0 ? ReadPushedIndex((Stevedore.Tasks.Images.ImageReference.Parse(Current.Images[0], "ContainerRegistry") with { Tag = null, Digest = digest }).ToString())
            : null;
        if (index is null)
        {
            Log.LogMessage(MessageImportance.Low, "Stevedore: the image index {0} could not be read; the report names the index digest only.", digest);
            return null;
        }

        return PlatformDigests.FromIndex(index);
    }

    // Temp file then rename: a reader (the textfile collector) never sees half a file.
    private static void Write(string path, string content) => Files.AtomicFile.Write(path, content);
}
