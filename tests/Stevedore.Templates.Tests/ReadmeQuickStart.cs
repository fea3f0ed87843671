using System.Text.RegularExpressions;
using Stevedore.Testing;

namespace Stevedore.Templates.Tests;

/// <summary>
/// README.md's quick start, read from the file so it cannot drift from what the test runs: the fenced bash block under
/// the comment that names <see cref="TemplateQuickStartTests"/>, split into the commands before the first `docker run`,
/// the `docker run` lines, and the `curl` lines with the answer each one's comment promises.
/// </summary>
public sealed partial class ReadmeQuickStart
{
    /// <summary>What the README writes for the user's registry; the test puts its own in its place.</summary>
    public const string Registry = "ghcr.io/my-org";

    private ReadmeQuickStart(IReadOnlyList<string> lines)
    {
        var firstRun = lines.ToList().FindIndex(l => l.StartsWith("docker run ", StringComparison.Ordinal));
        Assert.IsGreaterThan(0, firstRun, "the quick start starts no container");
        Setup = lines.Take(firstRun).ToList();
        DockerRuns = lines.Skip(firstRun).Where(l => l.StartsWith("docker run ", StringComparison.Ordinal)).Select(WithoutComment).ToList();
        Requests = lines.Skip(firstRun).Where(l => l.StartsWith("curl ", StringComparison.Ordinal))
            .Select(l => Curl().Match(l) is { Success: true } m ? (m.Groups["url"].Value, m.Groups["answer"].Value) : throw new FormatException($"README: `{l}` is not `curl <url>  # <answer>`"))
            .ToList();
    }

    /// <summary>The commands up to the first `docker run`, with their comments (bash ignores them).</summary>
    public IReadOnlyList<string> Setup { get; }

    /// <summary>The `docker run` command lines, without comments.</summary>
    public IReadOnlyList<string> DockerRuns { get; }

    /// <summary>Each `curl &lt;url&gt;` and the answer its comment says the app gives.</summary>
    public IReadOnlyList<(string Url, string Answer)> Requests { get; }

    public static ReadmeQuickStart Read()
    {
        var readme = File.ReadAllLines(Repo.Path("README.md"));
        var marker = Array.FindIndex(readme, l => l.StartsWith("<!--", StringComparison.Ordinal) && l.Contains(nameof(TemplateQuickStartTests) + ".cs", StringComparison.Ordinal));
        Assert.IsGreaterThanOrEqualTo(0, marker, $"README.md has no comment naming {nameof(TemplateQuickStartTests)}.cs above its quick start");
        Assert.AreEqual("```bash", readme[marker + 1], "the quick start's fenced bash block must follow the comment");
        var end = Array.IndexOf(readme, "```", marker + 2);
        Assert.IsGreaterThan(marker, end, "the quick start's fenced block is not closed");
        return new ReadmeQuickStart(readme[(marker + 2)..end].Where(l => l.Trim().Length > 0).ToList());
    }

    /// <summary><paramref name="line"/> without its trailing `  # comment`.</summary>
    public static string WithoutComment(string line) => Comment().Replace(line, string.Empty);

    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"^curl (?<url>\S+)\s+#\s*(?<answer>\{.*\})\s*$")]
    private static partial Regex Curl();
}
