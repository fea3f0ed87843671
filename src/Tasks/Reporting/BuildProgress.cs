using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// The vertices of one build, merged from the rawjson status objects as they arrive; tells which ones just finished
/// so the caller can log plain-progress-like lines: a step's name when it starts (`#7 [linux/arm64 build 3/9] RUN …`),
/// how it ended when it finishes (`#7 DONE 12.3s`, `#7 CACHED`, or its output and `#7 ERROR: …`).
/// </summary>
internal sealed class BuildProgress : IBuildxProgress
{
    private readonly RawJsonStream stream = new();
    private readonly Dictionary<string, BuildVertex> vertices = new(StringComparer.Ordinal);
    private readonly HashSet<string> reported = new(StringComparer.Ordinal);
    private readonly HashSet<string> announced = new(StringComparer.Ordinal);
    private readonly List<BuildVertex> finished = [];
    private string? lastNamed;

    /// <summary>Every vertex, in the order it first appeared.</summary>
    public IEnumerable<BuildVertex> Vertices => vertices.Values.OrderBy(v => v.Number);

    /// <summary>Lines of the output that were not JSON (buildx's own ERROR line).</summary>
    public List<string> Text { get; } = [];

    /// <summary>Reads a whole captured output (a fixture, or progress.rawjson).</summary>
    public static BuildProgress Read(IEnumerable<string> lines)
    {
        var progress = new BuildProgress();
        foreach (var line in lines)
        {
            progress.Add(line);
        }

        return progress;
    }

    /// <summary>Feeds one output line; returns the log lines for the vertices it started or finished (none for most lines).</summary>
    public IReadOnlyList<string> Add(string line) => stream.Feed(line, Text, AddStatus);

    /// <summary>Feeds one status object (vertexes, logs); returns the log lines for the vertices it started or finished.</summary>
    public IReadOnlyList<string> AddStatus(JsonElement status)
    {
        if (status.TryGetProperty("vertexes", out var list))
        {
            foreach (var item in list.EnumerateArray())
            {
                Merge(item);
            }
        }

        if (status.TryGetProperty("logs", out var logs))
        {
            foreach (var log in logs.EnumerateArray())
            {
                AddLog(log);
            }
        }

        var lines = new List<string>();
        foreach (var vertex in vertices.Values.OrderBy(v => v.Number))
        {
            if ((vertex.Completed is not null || vertex.Cached || vertex.Error is not null) && reported.Add(vertex.Digest))
            {
                if (vertex.UnfinishedLog.TrimEnd('\r').Length > 0)
                {
                    vertex.Logs.Add(vertex.UnfinishedLog.TrimEnd('\r'));
                    vertex.UnfinishedLog = string.Empty;
                }

                lines.AddRange(Finish(vertex));
                finished.Add(vertex);
            }
            else if (vertex.Started is not null && vertex.Name.Length > 0 && !reported.Contains(vertex.Digest) && announced.Add(vertex.Digest))
            {
                // A step is named when it starts, as plain progress does, so a long one shows what is running.
                lines.Add($"#{vertex.Number} {vertex.Name}");
                lastNamed = vertex.Digest;
            }
        }

        return lines;
    }

    /// <summary>The vertices that finished since the last call (their warnings are read once).</summary>
    public IReadOnlyList<BuildVertex> TakeFinished()
    {
        var taken = finished.ToList();
        finished.Clear();
        return taken;
    }

    // The name again unless the line before named this step (other steps' lines came in between), then how it ended.
    private IEnumerable<string> Finish(BuildVertex vertex)
    {
        var lines = new List<string>();
        if (lastNamed != vertex.Digest)
        {
            lines.Add($"#{vertex.Number} {vertex.Name}");
        }

        if (vertex.Error is not null)
        {
            lines.AddRange(vertex.Logs.Select(log => $"#{vertex.Number} {log}"));
            lines.Add($"#{vertex.Number} ERROR: {vertex.Error}");
        }
        else
        {
            lines.Add(vertex.Cached ? $"#{vertex.Number} CACHED" : string.Create(CultureInfo.InvariantCulture, $"#{vertex.Number} DONE {vertex.Seconds:0.0}s"));
        }

        lastNamed = null;
        return lines;
    }

    private void Merge(JsonElement item)
    {
        if (!item.TryGetProperty("digest", out var d) || d.GetString() is not { } digest)
        {
            return;
        }

        if (!vertices.TryGetValue(digest, out var vertex))
        {
            vertex = new BuildVertex { Digest = digest, Number = vertices.Count + 1 };
            vertices[digest] = vertex;
        }

        if (item.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } n)
        {
            vertex.Name = n;
        }

        vertex.Started = Time(item, "started") ?? vertex.Started;
        var completed = Time(item, "completed");
        vertex.Completed = completed ?? vertex.Completed;
        var error = item.TryGetProperty("error", out var e) && e.GetString() is { Length: > 0 } text ? text : null;

        // "cached" with an error is a cache hit BuildKit could not load ("not found": a layer the imported cache lacks);
        // it then runs the step, and a later update without the error says that run succeeded.
        if (item.TryGetProperty("cached", out var cached) && cached.ValueKind == JsonValueKind.True && error is null)
        {
            vertex.Cached = true;
        }

        if (error is not null)
        {
            vertex.Error = error;
        }
        else if (completed is not null)
        {
            vertex.Error = null;
        }
    }

    // BuildKit sends output in chunks that may end inside a line: the unfinished line waits for the next chunk.
    private void AddLog(JsonElement log)
    {
        if (log.TryGetProperty("vertex", out var d) && d.GetString() is { } digest && vertices.TryGetValue(digest, out var vertex)
            && log.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String)
        {
            var lines = (vertex.UnfinishedLog + Encoding.UTF8.GetString(data.GetBytesFromBase64())).Split('\n');
            vertex.UnfinishedLog = lines[^1];
            vertex.Logs.AddRange(lines[..^1].Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0));
        }
    }

    private static DateTimeOffset? Time(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time
            : null;
}
