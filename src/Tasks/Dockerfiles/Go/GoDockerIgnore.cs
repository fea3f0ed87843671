namespace Stevedore.Tasks.Dockerfiles.Go;

/// <summary>The .dockerignore patterns of a Go build context (relative to the context root).</summary>
internal static class GoDockerIgnore
{
    /// <summary>What `go build` and `go test` leave behind.</summary>
    public static readonly IReadOnlyList<string> OutputPatterns = ["**/*.exe", "**/*.test", "**/*.prof", "**/*.out"];

    /// <param name="projectFolder">The project file's folder relative to the context root ("" for the root).</param>
    /// <param name="usesVendor">vendor/modules.txt exists: vendor/ is source then, not clutter.</param>
    /// <param name="excludeTestData">GoExcludeTestData: testdata/ folders are only read by tests.</param>
    public static IReadOnlyList<string> Patterns(string projectFolder, bool usesVendor, bool excludeTestData)
    {
        var prefix = projectFolder.Length == 0 ? string.Empty : projectFolder.TrimEnd('/') + "/";
        var patterns = new List<string>(DockerIgnoreWriter.ToolStatePatterns.Concat(OutputPatterns).Concat(DockerIgnoreWriter.SecretPatterns))
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
