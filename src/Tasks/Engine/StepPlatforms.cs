using System.Text.RegularExpressions;

namespace Stevedore.Tasks.Engine;

/// <summary>
/// Which target platforms a Dockerfile runs steps on, read from its stages: a RUN in a stage on `$BUILDPLATFORM` runs on
/// the build machine (cross-compiling needs no emulator); a RUN in a stage without `--platform` (or on `$TARGETPLATFORM`)
/// runs on every target platform, emulated for foreign ones; a literal `--platform=linux/arm64` runs there. A stage
/// `FROM` an earlier stage keeps that stage's platform. Pure, so preflight can ask for an emulator only when needed.
/// </summary>
internal static partial class StepPlatforms
{
    /// <summary>The platforms among <paramref name="targets"/> (plus literal stage platforms) on which some RUN step runs.</summary>
    public static IReadOnlyList<string> Find(string dockerfile, IReadOnlyList<string> targets)
    {
        var stages = new Dictionary<string, StagePlatform>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        StagePlatform? current = null;
        foreach (var (keyword, arguments) in Instructions(dockerfile))
        {
            if (keyword == "FROM")
            {
                current = FromStage(arguments, stages);
            }
            else if (keyword == "RUN" && current is { } stage && !stage.OnBuildPlatform)
            {
                foreach (var platform in stage.Literal is { } literal ? [literal] : targets)
                {
                    if (!result.Contains(platform, StringComparer.Ordinal))
                    {
                        result.Add(platform);
                    }
                }
            }
        }

        return result;
    }

    private static StagePlatform FromStage(string arguments, Dictionary<string, StagePlatform> stages)
    {
        var words = arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var platform = words.Where(w => w.StartsWith("--platform=", StringComparison.OrdinalIgnoreCase)).Select(w => w["--platform=".Length..].Trim('"')).FirstOrDefault();
        var rest = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        var image = rest.FirstOrDefault() ?? string.Empty;
        StagePlatform stage;
        if (platform is null)
        {
            // FROM <earlier stage> runs where that stage runs; an image runs on the target platform.
            stage = stages.TryGetValue(image, out var parent) ? parent : new StagePlatform(false, null);
        }
        else if (BuildPlatform().IsMatch(platform))
        {
            stage = new StagePlatform(true, null);
        }
        else
        {
            // A literal platform runs there; $TARGETPLATFORM and any other variable: assume every target platform.
            stage = new StagePlatform(false, platform.Contains('$', StringComparison.Ordinal) ? null : platform);
        }

        if (rest.Count >= 3 && rest[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
        {
            stages[rest[2]] = stage;
        }

        return stage;
    }

    /// <summary>(KEYWORD, arguments) of each instruction: comments dropped, `\` continuation lines joined.</summary>
    private static IEnumerable<(string Keyword, string Arguments)> Instructions(string dockerfile)
    {
        var pending = string.Empty;
        foreach (var raw in dockerfile.Replace("\r", string.Empty).Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') && pending.Length == 0 || line.Length == 0 && pending.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue; // a comment inside a continued instruction
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var text = pending + line;
            pending = string.Empty;
            var space = text.IndexOfAny([' ', '\t']);
            yield return space < 0 ? (text.ToUpperInvariant(), string.Empty) : (text[..space].ToUpperInvariant(), text[(space + 1)..].Trim());
        }

        if (pending.Length > 0)
        {
            var space = pending.IndexOfAny([' ', '\t']);
            yield return space < 0 ? (pending.Trim().ToUpperInvariant(), string.Empty) : (pending[..space].ToUpperInvariant(), pending[(space + 1)..].Trim());
        }
    }

    private sealed record StagePlatform(bool OnBuildPlatform, string? Literal);

    [GeneratedRegex(@"^\$(\{BUILDPLATFORM\}|BUILDPLATFORM)$")]
    private static partial Regex BuildPlatform();
}
