using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// The vertices of one build, merged from the rawjson status objects as they arrive; tells which ones just finished
/// so the caller can log one plain-progress-like line pair per step (`#7 [linux/arm64 build 3/9] RUN …` / `#7 CACHED`).
/// </summary>
internal sealed class BuildProgress
{
    private readonly RawJsonStream stream = new();
    private readonly Dictionary<string, BuildVertex> vertices = new(StringComparer.Ordinal);
    private readonly HashSet<string> reported = new(StringComparer.Ordinal);

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

    /// <summary>Feeds one output line; returns the log lines for the vertices it finished (none for most lines).</summary>
    public IReadOnlyList<string> Add(string line) => stream.Feed(line, Text, AddStatus);

    /// <summary>Feeds one status object (vertexes, logs); returns the log lines for the vertices it finished.</summary>
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

        var finished = new List<string>();
        foreach (var vertex in vertices.Values.Where(v => (v.Completed is not null || v.Cached || v.Error is not null) && reported.Add(v.Digest)).OrderBy(v => v.Number))
        {
            finished.AddRange(Describe(vertex));
        }

        return finished;
    }

    /// <summary>The plain-progress lines of one finished vertex; a failed one with what it printed.</summary>
    public static IEnumerable<string> Describe(BuildVertex vertex)
    {
        yield return $"#{vertex.Number} {vertex.Name}";
        if (vertex.Error is not null)
        {
            foreach (var log in vertex.Logs)
            {
                yield return $"#{vertex.Number} {log}";
            }

            yield return $"#{vertex.Number} ERROR: {vertex.Error}";
        }
        else
        {
            yield return vertex.Cached ? $"#{vertex.Number} CACHED" : string.Create(CultureInfo.InvariantCulture, $"#{vertex.Number} DONE {vertex.Seconds:0.0}s");
        }
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

    private void AddLog(JsonElement log)
    {
        if (log.TryGetProperty("vertex", out var d) && d.GetString() is { } digest && vertices.TryGetValue(digest, out var vertex)
            && log.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String)
        {
            var text = Encoding.UTF8.GetString(data.GetBytesFromBase64());
            vertex.Logs.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        }
    }

    private static DateTimeOffset? Time(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time
            : null;
}
