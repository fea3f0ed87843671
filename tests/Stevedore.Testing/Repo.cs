namespace Stevedore.Testing;

/// <summary>Where the repository and its well-known folders are, found from the test assembly's location.</summary>
public static class Repo
{
    private static readonly Lazy<string> root = new(FindRoot);

    /// <summary>The repository root: the folder that holds Stevedore.slnx.</summary>
    public static string Root => root.Value;

    /// <summary>The local registry the engine bootstrap serves.</summary>
    public const string Registry = "127.0.0.1:5000";

    /// <summary>A path below the repository root.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A fresh, empty folder under artifacts/tmp for one test.</summary>
    public static string NewTempFolder(string name)
    {
        var dir = Path("artifacts", "tmp", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// A fresh git repository of its own outside this checkout, for a test that stands for a user's repository: no
    /// Directory.Build.props or Directory.Packages.props of the Stevedore repository above it, and its .git bounds
    /// what may be a build input.
    /// </summary>
    public static string NewStandaloneRepository(string name)
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stevedore-tests", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(dir);
        CommandRunner.Run("git", ["init", "-q", dir]).EnsureSuccess();
        return dir;
    }

    /// <summary>
    /// Commits everything in <paramref name="checkout"/> with a fixed author and committer at <paramref name="date"/>
    /// (any form git takes: "2026-11-30T12:00:00Z", "@1700000000"), so the commit's time is known.
    /// </summary>
    public static void CommitAll(string checkout, string date)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "Stevedore Tests", ["GIT_AUTHOR_EMAIL"] = "tests@stevedore.invalid", ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_NAME"] = "Stevedore Tests", ["GIT_COMMITTER_EMAIL"] = "tests@stevedore.invalid", ["GIT_COMMITTER_DATE"] = date,
        };
        CommandRunner.Run("git", ["add", "-A"], checkout, environment).EnsureSuccess();
        CommandRunner.Run("git", ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "change"], checkout, environment).EnsureSuccess();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Stevedore.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Stevedore.slnx not found above " + AppContext.BaseDirectory);
    }
}
