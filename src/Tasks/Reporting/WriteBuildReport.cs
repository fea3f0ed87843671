using System.Text.Json;
using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// Writes stevedore-report.json and stevedore-report.prom from the build's rawjson progress and metadata file
/// (<see cref="ProjectReport"/>), logs a summary line per platform, and warns (STV3009) for each cache export that
/// failed while the build went on.
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

        var files = new ProjectReport
        {
            ReportDirectory = ReportDirectory,
            Platforms = Platforms,
            CacheTo = CacheTo,
            Images = Images,
            Push = Push,
            ArchiveOutputPath = ArchiveOutputPath,
            BuildMode = BuildMode,
            BuildModeReason = BuildModeReason,
            OsPackageInstallMode = OsPackageInstallMode,
            OsPackageInstallReason = OsPackageInstallReason,
            TestResultsDirectory = TestResultsDirectory,
            ReadPushedIndex = ReadPushedIndex,
        };
        var report = files.Write(progress, metadata, Log);
        ReportFile = files.ReportFile;
        MetricsFile = files.MetricsFile;
        foreach (var line in report.Summary())
        {
            Log.LogMessage(MessageImportance.High, "{0}", line);
        }

        Log.LogMessage(MessageImportance.High, "Stevedore: build report {0}", ReportFile);
    }
}
