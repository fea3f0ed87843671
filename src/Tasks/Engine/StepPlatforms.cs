using System.Text.RegularExpressions;
using Stevedore.Tasks.Dockerfiles;

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
    public static IReadOnlyList<string> Find(string dockerfile, IReadOnlyList<string> targets) =>
        Find(DockerfileInstructions.Read(dockerfile), targets);

    /// <summary>The same, from the instructions themselves (a generated model's, or a user's file's).</summary>
    public static IReadOnlyList<string> Find(IEnumerable<DockerfileLine> instructions, IReadOnlyList<string> targets)
    {
        var stages = new Dictionary<string, StagePlatform>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        StagePlatform? current = null;
        foreach (var (keyword, arguments) in instructions)
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

    private sealed record StagePlatform(bool OnBuildPlatform, string? Literal);

    [GeneratedRegex(@"^\$(\{BUILDPLATFORM\}|BUILDPLATFORM)$")]
    private static partial Regex BuildPlatform();
}
