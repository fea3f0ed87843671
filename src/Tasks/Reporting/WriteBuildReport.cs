using System.Text.Json;
using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// Writes stevedore-report.json and stevedore-report.prom from the build's rawjson progress and metadata file, logs a
/// summary line per platform, and warns (STV3009) for each cache export that failed while the build went on.
/// </summary>
public sealed class WriteBuildReport : StevedoreTask
{
    /// <summary>The rawjson progress the build task kept.</summary>
    [Required]
    public string ProgressFile { get; set; } = string.Empty;

    /// <summary>The --metadata-file of the build (digest, descriptor, build ref).</summary>
    public string? MetadataFile { get; set; }

    /// <summary>The requested platforms, in order.</summary>
    public string? Platforms { get; set; }

    /// <summary>The --cache-to spec, to name the export in the report.</summary>
    public string? CacheTo { get; set; }

    /// <summary>The image references built.</summary>
    public string[] Images { get; set; } = [];

    /// <summary>The image was pushed: each platform's digest is read back from the pushed index.</summary>
    public bool Push { get; set; }

    /// <summary>ContainerArchiveOutputPath: each platform's digest is read from the archive's index.</summary>
    public string? ArchiveOutputPath { get; set; }

    /// <summary>Seam: the raw image index of a pushed image (from its registry), or null.</summary>
    internal Func<string, string?> ReadPushedIndex { get; set; } = PlatformDigests.FromRegistry;

    /// <summary>Folder for stevedore-report.json and stevedore-report.prom.</summary>
    [Required]
    public string ReportDirectory { get; set; } = string.Empty;

    [Output]
    public string ReportFile { get; private set; } = string.Empty;

    [Output]
    public string MetricsFile { get; private set; } = string.Empty;

    /// <summary>How the Dockerfile builds the platforms ("once" or "per-platform"), when Stevedore generated it.</summary>
    public string? BuildMode { get; set; }

    /// <summary>Why that mode.</summary>
    public string? BuildModeReason { get; set; }

    /// <summary>How the OS packages were installed ("unpack" or "run"), empty without packages.</summary>
    public string? OsPackageInstallMode { get; set; }

    /// <summary>Why that install mode.</summary>
    public string? OsPackageInstallReason { get; set; }

    /// <summary>ContainerRunTests: the folder its results were exported to; the report counts them when it exists.</summary>
    public string? TestResultsDirectory { get; set; }

    protected override void Run()
    {
        if (!File.Exists(ProgressFile))
        {
            return; // nothing was built (ContainerBuild=false)
        }

        var progress = BuildProgress.Read(File.ReadLines(ProgressFile));
        JsonElement? metadata = null;
        if (!string.IsNullOrEmpty(MetadataFile) && File.Exists(MetadataFile))
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(MetadataFile));
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
        var platforms = ContainerPlatform.ParseList(Platforms).Select(p => p.ToString()).ToList();
        var cacheTo = string.IsNullOrWhiteSpace(CacheTo) ? null : Caching.CacheSpec.Parse(CacheTo!, Caching.CacheDirection.To).Location;
        var report = BuildReport.Create(progress, platforms, cacheTo, metadata, Images, ReadPlatformDigests(metadata, platforms)) with
        {
            BuildMode = string.IsNullOrWhiteSpace(BuildMode) ? null : BuildMode,
            BuildModeReason = string.IsNullOrWhiteSpace(BuildModeReason) ? null : BuildModeReason,
            OsPackageInstall = string.IsNullOrWhiteSpace(OsPackageInstallMode) ? null : OsPackageInstallMode,
            OsPackageInstallReason = string.IsNullOrWhiteSpace(OsPackageInstallReason) ? null : OsPackageInstallReason,
            Tests = string.IsNullOrWhiteSpace(TestResultsDirectory) || !Directory.Exists(TestResultsDirectory) ? null
                : Buildx.TestResults.Read(TestResultsDirectory) is var tests ? new TestReport(tests.Passed, tests.Failed, tests.Skipped, tests.FailedTests) : null,
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

        var index = !string.IsNullOrWhiteSpace(ArchiveOutputPath) ? PlatformDigests.FromArchive(ArchiveOutputPath)
            : Push && Images.Length > 0 ? ReadPushedIndex((Stevedore.Tasks.Images.ImageReference.Parse(Images[0], "ContainerRegistry") with { Tag = null, Digest = digest }).ToString())
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
