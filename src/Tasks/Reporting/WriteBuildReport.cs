using System.Text.Json;
using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Plan;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// Writes stevedore-report.json and stevedore-report.prom from the build's rawjson progress and metadata file, logs a
/// summary line per platform, and warns (STV3009) for each cache export that failed while the build went on
/// (<see cref="ProjectReport"/>).
/// </summary>
public sealed class WriteBuildReport : PlanTask
{
    /// <summary>Seam: the raw image index of a pushed image (from its registry), or null.</summary>
    internal Func<string, string?> ReadPushedIndex { get; set; } = PlatformDigests.FromRegistry;

    [Output]
    public string ReportFile { get; private set; } = string.Empty;

    [Output]
    public string MetricsFile { get; private set; } = string.Empty;

    /// <summary>
    /// One item per platform (GeneratedContainer, as the .NET SDK's PublishContainer names its results): ItemSpec the
    /// platform, metadata ManifestDigest (the platform's image, when known), ImageDigest (what the tags point to), Os,
    /// Architecture, Variant and RuntimeIdentifier.
    /// </summary>
    [Output]
    public ITaskItem[] GeneratedContainers { get; private set; } = [];


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

        var files = new ProjectReport { Plan = Current, ReadPushedIndex = ReadPushedIndex };
        var report = files.Write(progress, metadata, Log);
        ReportFile = files.ReportFile;
        MetricsFile = files.MetricsFile;
        GeneratedContainers = [.. Current.Platforms.Select(platform =>
        {
            var item = Platforms.PlatformItems.ToItem(platform);
            item.SetMetadata("ManifestDigest", report.Platforms.FirstOrDefault(p => p.Platform == platform.ToString())?.Digest ?? string.Empty);
            item.SetMetadata("ImageDigest", report.Digest ?? string.Empty);
            return item;
        })];
        foreach (var line in report.Summary())
        {
            Log.LogMessage(MessageImportance.High, "{0}", line);
        }

        Log.LogMessage(MessageImportance.High, "Stevedore: build report {0}", ReportFile);
    }
}
