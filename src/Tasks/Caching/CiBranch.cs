namespace Stevedore.Tasks.Caching;

/// <summary>
/// The branch a CI job builds and the branch whose cache it may fall back to, from the CI's variables
/// (GitHub Actions, GitLab CI, Azure Pipelines), else from git. The environment is a seam so each CI is testable.
/// </summary>
/// <param name="Branch">The branch being built, or null when none is known (detached HEAD outside CI).</param>
/// <param name="Fallbacks">Branches to read the cache of too, most useful first: a pull request's target, then the default branch.</param>
internal sealed record CiBranch(string? Branch, IReadOnlyList<string> Fallbacks)
{
    private const string RefsHeads = "refs/heads/";

    /// <param name="environment">Reads one environment variable (null or empty: unset).</param>
    /// <param name="gitBranch">Runs `git rev-parse --abbrev-ref HEAD`; null when git is missing or fails.</param>
    /// <param name="defaultBranch">ContainerCacheDefaultBranch; empty: the CI's default branch, else main.</param>
    public static CiBranch Find(Func<string, string?> environment, Func<string?> gitBranch, string? defaultBranch)
    {
        string? Get(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;

        var branch =
            Get("GITHUB_HEAD_REF") // a pull request's source branch; GITHUB_REF_NAME is then "123/merge"
            ?? Get("GITHUB_REF_NAME")
            ?? Get("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")
            ?? Get("CI_COMMIT_REF_NAME")
            ?? StripRefsHeads(Get("SYSTEM_PULLREQUEST_SOURCEBRANCH"))
            ?? StripRefsHeads(Get("BUILD_SOURCEBRANCH")) // BUILD_SOURCEBRANCHNAME is only the last segment of feature/x
            ?? Get("BUILD_SOURCEBRANCHNAME")
            ?? gitBranch()?.Trim();
        if (branch is "HEAD" or "")
        {
            branch = null; // detached HEAD: no branch to write
        }

        var target = Get("GITHUB_BASE_REF") ?? Get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME") ?? StripRefsHeads(Get("SYSTEM_PULLREQUEST_TARGETBRANCH"));
        var fallback = string.IsNullOrWhiteSpace(defaultBranch) ? Get("CI_DEFAULT_BRANCH") ?? "main" : defaultBranch.Trim();
        var fallbacks = new[] { target, fallback }.OfType<string>().Where(b => b != branch).Distinct(StringComparer.Ordinal).ToList();
        return new CiBranch(branch, fallbacks);
    }

    private static string? StripRefsHeads(string? value) =>
        value is not null && value.StartsWith(RefsHeads, StringComparison.Ordinal) ? value[RefsHeads.Length..] : value;
}
