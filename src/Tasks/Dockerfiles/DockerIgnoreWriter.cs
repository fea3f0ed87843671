using System.Text;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// Writes the Dockerfile-specific ignore file (&lt;Dockerfile&gt;.dockerignore, which BuildKit reads for -f),
/// trimming what the source COPY lines take from the closure's folders to what the container build needs.
/// </summary>
public static class DockerIgnoreWriter
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
}
