using System.Text;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// Writes the Dockerfile-specific ignore file (&lt;Dockerfile&gt;.dockerignore, which BuildKit reads for -f),
/// trimming the `COPY . .` source copy to what the container build needs.
/// </summary>
public static class DockerIgnoreWriter
{
    /// <summary>Build outputs, tool state and secrets that must never reach the image or bust its cache.</summary>
    public static readonly IReadOnlyList<string> DefaultPatterns =
    [
        "**/bin",
        "**/obj",
        "**/.git",
        "**/.vs",
        "**/.vscode",
        "**/.idea",
        "**/*.user",
        "**/*.binlog",
        "**/TestResults",
        "**/node_modules",
        "**/.env",
    ];

    public static string Write(string header, IEnumerable<string> extraPatterns) =>
        WritePatterns(header, DefaultPatterns.Concat(extraPatterns));

    /// <summary>Exactly <paramref name="patterns"/>, for a project kind with its own defaults (Go).</summary>
    public static string WritePatterns(string header, IEnumerable<string> patterns)
    {
        var text = new StringBuilder();
        text.Append(header).Append('\n');
        foreach (var pattern in patterns.Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            text.Append(pattern).Append('\n');
        }

        return text.ToString();
    }
}
