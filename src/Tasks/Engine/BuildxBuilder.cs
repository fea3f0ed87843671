namespace Stevedore.Tasks.Engine;

/// <summary>
/// What `docker buildx inspect` says about one builder: its driver, the platforms its nodes build, any error, and
/// whether a node is not running (a docker-container builder made without --bootstrap, or whose container stopped:
/// buildx lists no platforms for it until it starts).
/// </summary>
internal sealed record BuildxBuilder(string Name, string Driver, IReadOnlyList<string> Platforms, string? Error, bool NotRunning = false)
{
    // Node states in which buildx has not asked a buildkitd what it builds; a build (or inspect --bootstrap) starts it.
    private static readonly HashSet<string> NotStarted = new(StringComparer.Ordinal) { "inactive", "stopped" };

    /// <summary>Parses the text output of `docker buildx inspect` (buildx 0.10+; the platforms of all nodes together).</summary>
    public static BuildxBuilder Parse(string output)
    {
        string? name = null;
        var driver = string.Empty;
        string? error = null;
        var notRunning = false;
        var platforms = new List<string>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            // Labels are indented ("key: value"); the fields we read start at column 0.
            if (colon <= 0 || char.IsWhiteSpace(line[0]))
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                // The first Name is the builder's; later ones are its nodes'.
                case "Name":
                    name ??= value;
                    break;
                case "Driver":
                    driver = value;
                    break;
                case "Error":
                    error ??= value;
                    break;
                case "Status":
                    notRunning |= NotStarted.Contains(value);
                    break;
                case "Platforms":
                    foreach (var p in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        // buildx marks platforms set by hand with '*'.
                        var platform = p.TrimEnd('*');
                        if (!platforms.Contains(platform))
                        {
                            platforms.Add(platform);
                        }
                    }

                    break;
            }
        }

        return new BuildxBuilder(name ?? string.Empty, driver, platforms, string.IsNullOrEmpty(error) ? null : error, notRunning);
    }

    /// <summary>
    /// Whether a node builds <paramref name="platform"/>: exactly, or a variant of it is listed
    /// (linux/arm/v7 satisfies linux/arm).
    /// </summary>
    public bool CanBuild(string platform) =>
        Platforms.Contains(platform)
        || Platforms.Any(p => p.StartsWith(platform + "/", StringComparison.Ordinal));
}
