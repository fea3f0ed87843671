namespace Stevedore.Tasks.Dockerfiles;

/// <summary>The .dockerignore patterns of a Go build context (relative to the context root).</summary>
public static class GoDockerIgnore
{
    /// <summary>Version control, editors, build outputs and secrets: never needed by `go build`, never wanted in an image.</summary>
    public static readonly IReadOnlyList<string> DefaultPatterns =
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
        "**/*.exe",
        "**/*.test",
        "**/*.prof",
        "**/*.out",
        "**/node_modules",
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

    /// <param name="projectFolder">The project file's folder relative to the context root ("" for the root).</param>
    /// <param name="usesVendor">vendor/modules.txt exists: vendor/ is source then, not clutter.</param>
    /// <param name="excludeTestData">GoExcludeTestData: testdata/ folders are only read by tests.</param>
    public static IReadOnlyList<string> Patterns(string projectFolder, bool usesVendor, bool excludeTestData)
    {
        var prefix = projectFolder.Length == 0 ? string.Empty : projectFolder.TrimEnd('/') + "/";
        var patterns = new List<string>(DefaultPatterns)
        {
            // Only the project file's own MSBuild folders: a Go package may well be called bin.
            prefix + "bin",
            prefix + "obj",
        };
        if (!usesVendor)
        {
            patterns.Add("**/vendor");
        }

        if (excludeTestData)
        {
            patterns.Add("**/testdata");
        }

        return patterns;
    }
}
