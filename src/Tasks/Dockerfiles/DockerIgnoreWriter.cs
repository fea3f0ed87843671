using System.Text;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// Writes the Dockerfile-specific ignore file (&lt;Dockerfile&gt;.dockerignore, which BuildKit reads for -f),
/// trimming what the source COPY lines take from the closure's folders to what the container build needs.
/// </summary>
internal static class DockerIgnoreWriter
{
    /// <summary>Version control, editors, user files and logs: never needed by a build, never wanted in an image.</summary>
    public static readonly IReadOnlyList<string> ToolStatePatterns =
    [
        "**/.git",
        "**/.hg",
        "**/.svn",
        "**/.vs",
        "**/.vscode",
        "**/.idea",
        "**/*.swp",
        "**/.DS_Store",
        "**/*.user",
        "**/*.binlog",
        "**/node_modules",
    ];

    /// <summary>Secrets that sit in working trees: environment files, keys, certificates, credentials.</summary>
    public static readonly IReadOnlyList<string> SecretPatterns =
    [
        "**/.env*",
        "**/*.pem",
        "**/*.key",
        "**/*.p12",
        "**/*.pfx",
        "**/id_rsa*",
        "**/id_ecdsa*",
        "**/id_ed25519*",
        "**/.netrc",
        "**/.npmrc",
        "**/.aws",
        "**/.ssh",
    ];

    /// <summary>.NET build outputs: the container builds its own, and stale ones would bust the source layer's cache.</summary>
    public static readonly IReadOnlyList<string> DotNetOutputPatterns =
    [
        "**/bin",
        "**/obj",
        "**/TestResults",
        "artifacts/bin",
        "artifacts/obj",
        "artifacts/publish",
        "artifacts/package",
    ];

    /// <summary>Everything a .NET build context leaves out, then <paramref name="extraPatterns"/>.</summary>
    public static string Write(string header, IEnumerable<string> extraPatterns) =>
        WritePatterns(header, ToolStatePatterns.Concat(DotNetOutputPatterns).Concat(SecretPatterns).Concat(extraPatterns));

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

    /// <summary>
    /// The user's own `.dockerignore` patterns, as lines to append to the generated file: BuildKit reads only
    /// &lt;Dockerfile&gt;.dockerignore for `-f`, so a `.dockerignore` at the context root (and one beside the project) would
    /// otherwise be ignored silently. The context root's patterns are kept as written; the project folder's are
    /// rebased onto it (`secrets.json` → `src/Api/secrets.json`). The secret patterns follow again, so a `!` pattern can
    /// not bring a key back in. Text is empty when there is no such file. A file that ignores everything (`*`, `**`:
    /// an allow-list written for another Dockerfile, e.g. one that copies a prebuilt publish folder) would leave the
    /// build nothing to restore: it is not merged, and named in <c>Skipped</c>.
    /// </summary>
    public static (string Text, IReadOnlyList<string> Skipped) UserPatterns(string? contextDirectory, string? projectDirectory)
    {
        if (string.IsNullOrWhiteSpace(contextDirectory))
        {
            return (string.Empty, []);
        }

        var context = Path.GetFullPath(contextDirectory);
        var sources = new List<(string File, string Prefix)> { (Path.Combine(context, ".dockerignore"), string.Empty) };
        if (!string.IsNullOrWhiteSpace(projectDirectory))
        {
            var relative = Path.GetRelativePath(context, Path.GetFullPath(projectDirectory)).Replace('\\', '/');
            if (relative != "." && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
            {
                sources.Add((Path.Combine(context, relative, ".dockerignore"), relative + "/"));
            }
        }

        var text = new StringBuilder();
        var skipped = new List<string>();
        foreach (var (file, prefix) in sources.Where(s => File.Exists(s.File)))
        {
            var lines = Files.IgnorePatterns.Lines(File.ReadAllText(file)).ToList();
            if (lines.Any(l => !l.Exclusion && l.Pattern is "*" or "**" or "**/*"))
            {
                skipped.Add(file);
                continue;
            }

            // A pattern of a .dockerignore beside the project is made relative to the context root.
            text.Append("# From ").Append(prefix).Append(".dockerignore, the project's own patterns.\n");
            foreach (var (exclusion, pattern) in lines)
            {
                text.Append(exclusion ? "!" : string.Empty).Append(prefix).Append(pattern).Append('\n');
            }
        }

        if (text.Length == 0)
        {
            return (string.Empty, skipped);
        }

        text.Append("# Secrets stay out, whatever the patterns above let in.\n");
        foreach (var pattern in SecretPatterns)
        {
            text.Append(pattern).Append('\n');
        }

        return (text.ToString(), skipped);
    }
}
