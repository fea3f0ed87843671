using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Stevedore.Tasks.Reporting;

/// <summary>A <see cref="BuildReport"/> as JSON, and as OpenMetrics text for Prometheus' node_exporter textfile collector.</summary>
internal static class BuildReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string ToJson(BuildReport report) => JsonSerializer.Serialize(report, Json) + "\n";

    /// <summary>Gauges per platform and per cache, ending with `# EOF`.</summary>
    public static string ToOpenMetrics(BuildReport report)
    {
        var text = new StringBuilder();
        var image = report.Images.FirstOrDefault() ?? string.Empty;

        void Family(string name, string help, IEnumerable<(string Labels, double Value)> samples)
        {
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            foreach (var (labels, value) in samples)
            {
                text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        string Platform(PlatformReport p) => $"image=\"{Escape(image)}\",platform=\"{Escape(p.Platform)}\"";
        Family("stevedore_build_steps", "Dockerfile steps of the last build.", report.Platforms.Select(p => (Platform(p), (double)p.Steps)));
        Family("stevedore_build_steps_cached", "Dockerfile steps of the last build that were CACHED.", report.Platforms.Select(p => (Platform(p), (double)p.Cached)));
        Family("stevedore_build_steps_cached_ratio", "CACHED steps / steps of the last build.", report.Platforms.Select(p => (Platform(p), p.CachedRatio)));
        Family("stevedore_build_platform_duration_seconds", "From the first step's start to the last step's end, per platform.", report.Platforms.Select(p => (Platform(p), p.Seconds)));
        Family("stevedore_build_duration_seconds", "The whole build, from the first vertex's start to the last one's end.", [($"image=\"{Escape(image)}\"", report.Seconds)]);
        Family(
            "stevedore_build_cache_success",
            "1 when the cache import or export worked, 0 when it failed.",
            report.Caches.Select(c => ($"image=\"{Escape(image)}\",direction=\"{c.Direction}\",cache=\"{Escape(c.Location)}\"", c.Succeeded ? 1.0 : 0.0)));
        if (report.Tests is { } tests)
        {
            Family("stevedore_tests", "Tests of the last ContainerRunTests run, by outcome.", [
                ($"image=\"{Escape(image)}\",outcome=\"passed\"", tests.Passed),
                ($"image=\"{Escape(image)}\",outcome=\"failed\"", tests.Failed),
                ($"image=\"{Escape(image)}\",outcome=\"skipped\"", tests.Skipped)]);
        }

        text.Append("# EOF\n");
        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
