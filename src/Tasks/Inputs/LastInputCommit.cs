using System.Text;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Inputs;

/// <summary>
/// The time of the last commit that touched an image's inputs (the files and folders its Dockerfile copies), from
/// `git log -1 --format=%ct` limited to them: a commit elsewhere in the repository (another service of a monorepo)
/// leaves the time, and so the image's digest, as it was. Uncommitted edits do not move it: their content does.
/// </summary>
internal static class LastInputCommit
{
    /// <summary>
    /// The inputs inside <paramref name="repositoryRoot"/> as git pathspecs relative to it, forward-slashed, in order
    /// and without repeats; the root itself is ".". Paths outside the repository are left out: no commit holds them.
    /// </summary>
    public static IReadOnlyList<string> Pathspecs(string repositoryRoot, IEnumerable<string> inputs) => inputs
        .Select(i => i.Trim())
        .Where(i => i.Length > 0 && !i.Contains('\n') && !i.Contains('\r')) // one pathspec a line on git's stdin
        .Select(i => Path.GetFullPath(i.TrimEnd('/', Path.DirectorySeparatorChar)))
        .Where(i => RepositoryPaths.IsInside(i, repositoryRoot))
        .Select(i => RepositoryPaths.Relative(repositoryRoot, i))
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// Unix seconds of the last commit touching <paramref name="inputs"/> in the repository that holds
    /// <paramref name="projectDirectory"/>; the last commit's when no commit touched them yet (all new); null outside a
    /// repository, without git, or before the first commit.
    /// </summary>
    public static string? Time(string projectDirectory, IEnumerable<string> inputs)
    {
        if (RepositoryPaths.RepositoryRoot(projectDirectory) is not { } root)
        {
            return null;
        }

        // A relative input (a user's ContainerBuildContext) is relative to the project, as MSBuild reads it.
        var pathspecs = Pathspecs(root, inputs.Where(i => i.Trim().Length > 0).Select(i => Path.Combine(projectDirectory, i.Trim())));
        return (pathspecs.Count > 0 ? Log(root, pathspecs) : null) ?? Log(root, []);
    }

    // One git process; the pathspecs go through stdin (after "--"), so no command-line limit applies however many
    // folders a closure has. Literal: a '[' or '*' in a folder's name is no glob.
    private static string? Log(string root, IReadOnlyList<string> pathspecs)
    {
        var input = new StringBuilder("--\n");
        foreach (var pathspec in pathspecs)
        {
            input.Append(pathspec).Append('\n');
        }

        var output = Git.Output(root, ["--literal-pathspecs", "log", "-1", "--no-show-signature", "--format=%ct", "--stdin"], input.ToString());
        return long.TryParse(output, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? output
            : null;
    }
}
