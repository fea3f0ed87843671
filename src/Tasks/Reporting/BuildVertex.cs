namespace Stevedore.Tasks.Reporting;

/// <summary>One BuildKit vertex (a Dockerfile step, a cache import/export, an export) as the rawjson stream last described it.</summary>
internal sealed class BuildVertex
{
    public required string Digest { get; init; }

    /// <summary>The order the vertex first appeared in, from 1: the `#n` of plain progress.</summary>
    public required int Number { get; init; }

    public string Name { get; set; } = string.Empty;

    public DateTimeOffset? Started { get; set; }

    public DateTimeOffset? Completed { get; set; }

    public bool Cached { get; set; }

    public string? Error { get; set; }

    /// <summary>What the step printed (RUN output), line by line: shown for a failing step, read for warnings.</summary>
    public List<string> Logs { get; } = [];

    /// <summary>Output after the last line break so far: the start of a line the next chunk ends.</summary>
    public string UnfinishedLog { get; set; } = string.Empty;

    public double Seconds => Started is { } s && Completed is { } c ? Math.Max(0, (c - s).TotalSeconds) : 0;
}
