using System.Globalization;

namespace Stevedore.Tasks.Reporting;

/// <summary>The table a solution's bake ends with: one row per project (platforms, steps CACHED, time, digest, what became of the image).</summary>
internal static class BakeSummary
{
    /// <summary>One project's line of the table.</summary>
    internal sealed record Row(string Project, BuildReport Report, bool Failed, bool Push, bool Archive, bool IsUnchanged = false)
    {
        /// <summary>What happened to the image: failed, pushed, written, loaded, unchanged (left out of the bake), or not pushed (the bake stopped first).</summary>
        public string Outcome =>
            Failed ? "FAILED"
            : IsUnchanged ? "unchanged"
            : Report.Digest is null ? (Push ? "not pushed" : "not built")
            : Archive ? "written" : Push ? "pushed" : "loaded";

        /// <summary>A project left out of the bake: its image, <paramref name="digest"/>, is the one its tags point to.</summary>
        public static Row Unchanged(string project, IReadOnlyList<string> platforms, string digest, IReadOnlyList<string> images) =>
            new(project, new BuildReport([.. platforms.Select(p => new PlatformReport(p, 0, 0, 0, 0, []))], [], 0, digest, null, null, null, images), false, true, false, IsUnchanged: true);
    }

    public static IEnumerable<string> Table(IEnumerable<Row> rows, TimeSpan elapsed)
    {
        var cells = new List<string[]> { new[] { "project", "platforms", "steps CACHED", "time", "image", "digest" } };
        foreach (var row in rows)
        {
            var steps = row.Report.Platforms.Sum(p => p.Steps);
            var cached = row.Report.Platforms.Sum(p => p.Cached);
            cells.Add(
            [
                row.Project,
                string.Join(",", row.Report.Platforms.Select(p => p.Platform)),
                row.IsUnchanged ? "-" : string.Create(CultureInfo.InvariantCulture, $"{cached}/{steps}"),
                string.Create(CultureInfo.InvariantCulture, $"{row.Report.Seconds:0.0} s"),
                row.Outcome,
                row.Report.Digest ?? "-",
            ]);
        }

        var widths = Enumerable.Range(0, cells[0].Length).Select(i => cells.Max(c => c[i].Length)).ToArray();
        yield return string.Create(CultureInfo.InvariantCulture, $"Stevedore: bake of {cells.Count - 1} project(s), {elapsed.TotalSeconds:0.0} s");
        foreach (var line in cells)
        {
            yield return "  " + string.Join(" | ", line.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        }
    }
}
