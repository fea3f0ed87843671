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
    public static string ToOpenMetrics(BuildReport report) => ToOpenMetrics([report]);

    /// <summary>The gauges of several builds (a solution's bake) in one exposition: each family once, a sample per image.</summary>
    public static string ToOpenMetrics(IReadOnlyList<BuildReport> reports)
    {
        var text = new StringBuilder();
        static string Image(BuildReport report) => report.Images.FirstOrDefault() ?? string.Empty;

        void Family(string name, string help, IEnumerable<(string Labels, double Value)> samples)
        {
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            foreach (var (labels, value) in samples)
            {
                text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        IEnumerable<(string Labels, double Value)> PerPlatform(Func<PlatformReport, double> value) =>
            reports.SelectMany(r => r.Platforms.Select(p => ($"image=\"{Escape(Image(r))}\",platform=\"{Escape(p.Platform)}\"", value(p))));
        Family("stevedore_build_steps", "Dockerfile steps of the last build.", PerPlatform(p => p.Steps));
        Family("stevedore_build_steps_cached", "Dockerfile steps of the last build that were CACHED.", PerPlatform(p => p.Cached));
        Family("stevedore_build_steps_cached_ratio", "CACHED steps / steps of the last build.", PerPlatform(p => p.CachedRatio));
        Family("stevedore_build_platform_duration_seconds", "From the first step's start to the last step's end, per platform.", PerPlatform(p => p.Seconds));
        Family("stevedore_build_duration_seconds", "The whole build, from the first vertex's start to the last one's end.", reports.Select(r => ($"image=\"{Escape(Image(r))}\"", r.Seconds)));
        Family(
            "stevedore_build_cache_success",
            "1 when the cache import or export worked, 0 when it failed.",
            reports.SelectMany(r => r.Caches.Select(c => ($"image=\"{Escape(Image(r))}\",direction=\"{c.Direction}\",cache=\"{Escape(c.Location)}\"", c.Succeeded ? 1.0 : 0.0))));
        var tested = reports.Where(r => r.Tests is not null).ToList();
        if (tested.Count > 0)
        {
            Family("stevedore_tests", "Tests of the last ContainerRunTests run, by outcome.", tested.SelectMany(r => new[]
            {
                ($"image=\"{Escape(Image(r))}\",outcome=\"passed\"", (double)r.Tests!.Passed),
                ($"image=\"{Escape(Image(r))}\",outcome=\"failed\"", (double)r.Tests!.Failed),
                ($"image=\"{Escape(Image(r))}\",outcome=\"skipped\"", (double)r.Tests!.Skipped),
            }));
        }

        text.Append("# EOF\n");
        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
