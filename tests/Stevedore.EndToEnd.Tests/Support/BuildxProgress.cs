using System.Text.RegularExpressions;

namespace Stevedore.EndToEnd.Tests;

/// <summary>One Dockerfile step of a build, for one target platform, as buildx reported it.</summary>
/// <param name="Platform">The target platform, e.g. <c>linux/arm64</c> (also for a step that ran on amd64 for arm64).</param>
/// <param name="Instruction">The instruction, e.g. <c>RUN dotnet restore src/Api/Api.csproj -a $TARGETARCH</c>.</param>
public sealed record BuildStep(int Vertex, string Platform, string Stage, string Instruction, bool Cached);

/// <summary>
/// The steps of `docker buildx build --progress=plain` output (also when it is embedded, indented, in an MSBuild log):
/// <c>#12 [linux/amd64->arm64 build 5/8] RUN dotnet restore …</c> followed, possibly later, by <c>#12 CACHED</c>.
/// </summary>
public sealed partial class BuildxProgress
{
    private BuildxProgress(IReadOnlyList<BuildStep> steps) => Steps = steps;

    public IReadOnlyList<BuildStep> Steps { get; }

    public static BuildxProgress Parse(string output)
    {
        var steps = new Dictionary<int, BuildStep>();
        var cached = new HashSet<int>();
        foreach (var line in output.Split('\n'))
        {
            if (StepLine().Match(line) is { Success: true } step)
            {
                var vertex = int.Parse(step.Groups["vertex"].Value);
                steps.TryAdd(vertex, new BuildStep(
                    vertex,
                    TargetPlatform(step.Groups["platform"].Value),
                    step.Groups["stage"].Value,
                    step.Groups["instruction"].Value.Trim(),
                    Cached: false));
            }
            else if (CachedLine().Match(line) is { Success: true } hit)
            {
                cached.Add(int.Parse(hit.Groups["vertex"].Value));
            }
        }

        return new BuildxProgress(steps.Values.Select(s => s with { Cached = cached.Contains(s.Vertex) }).OrderBy(s => s.Vertex).ToList());
    }

    /// <summary>The steps whose instruction contains <paramref name="text"/> (e.g. "dotnet restore") for one platform.</summary>
    public IReadOnlyList<BuildStep> Find(string text, string platform) =>
        Steps.Where(s => s.Platform == platform && s.Instruction.Contains(text, StringComparison.Ordinal)).ToList();

    /// <summary>
    /// The steps whose instruction contains <paramref name="text"/> serving <paramref name="platform"/>: its own, or the
    /// build platform's when one step serves every platform (a framework-dependent .NET app compiles once).
    /// </summary>
    public IReadOnlyList<BuildStep> FindServing(string text, string platform) =>
        Find(text, platform) is { Count: > 0 } own ? own : Find(text, BuildPlatform);

    /// <summary>Every <paramref name="instruction"/> step serving each of <paramref name="platforms"/> exists and is (or is not) CACHED.</summary>
    public void AssertSteps(string instruction, bool cached, IEnumerable<string> platforms)
    {
        foreach (var platform in platforms)
        {
            var steps = FindServing(instruction, platform);
            Assert.IsNotEmpty(steps, $"no `{instruction}` step for {platform} among the build's steps:\n{this}");
            Assert.IsTrue(steps.All(s => s.Cached == cached), $"`{instruction}` for {platform} should {(cached ? "" : "not ")}be CACHED:\n{this}");
        }
    }

    /// <summary>What names the step that publishes a framework-dependent app for every target platform after one compile.</summary>
    public const string PublishOnce = "-t:StevedorePublishPlatforms";

    /// <summary>The platform build-platform steps run on here.</summary>
    public const string BuildPlatform = "linux/amd64";

    public override string ToString() =>
        string.Join('\n', Steps.Select(s => $"#{s.Vertex} [{s.Platform} {s.Stage}] {s.Instruction}{(s.Cached ? "  CACHED" : "")}"));

    // "linux/amd64->arm64" is a build-platform stage working for an arm64 target.
    private static string TargetPlatform(string reported) =>
        reported.Split("->") is [var build, var target] ? build[..(build.IndexOf('/') + 1)] + target : reported;

    [GeneratedRegex(@"#(?<vertex>\d+) \[(?<platform>linux/[^\s\]]+)\s+(?:(?<stage>[^\s\]]+)\s+)?\d+/\d+\] (?<instruction>.+)$")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"#(?<vertex>\d+) CACHED\s*$")]
    private static partial Regex CachedLine();
}
