namespace Stevedore.Tasks.Files;

/// <summary>
/// Folder arithmetic every project kind shares: the repository that bounds a build context, the common ancestor
/// that becomes the context, and context-relative, forward-slashed paths (folders end in '/').
/// </summary>
internal static class RepositoryPaths
{
    /// <summary>The nearest folder at or above <paramref name="folder"/> holding .git (a folder, or a file for worktrees); null outside any repository.</summary>
    public static string? RepositoryRoot(string folder) =>
        Ancestors(folder).FirstOrDefault(d => Directory.Exists(Path.Combine(d, ".git")) || File.Exists(Path.Combine(d, ".git")));

    /// <summary>
    /// The folders at and above <paramref name="folder"/> up to the workspace root: the nearest folder holding .git or
    /// global.json, so a machine-wide file above the repository (a nuget.config in a home folder) is never picked up.
    /// </summary>
    public static IEnumerable<string> UpToWorkspaceRoot(string folder)
    {
        foreach (var d in Ancestors(folder))
        {
            yield return d;
            if (Directory.Exists(Path.Combine(d, ".git")) || File.Exists(Path.Combine(d, ".git")) || File.Exists(Path.Combine(d, "global.json")))
            {
                yield break;
            }
        }
    }

    /// <summary><paramref name="folder"/> and every folder above it, full paths without a trailing separator.</summary>
    public static IEnumerable<string> Ancestors(string folder)
    {
        for (var d = new DirectoryInfo(Path.GetFullPath(folder)); d is not null; d = d.Parent)
        {
            yield return d.FullName.Length > 1 ? d.FullName.TrimEnd(Path.DirectorySeparatorChar) : d.FullName;
        }
    }

    /// <summary>The deepest folder that holds every one of <paramref name="folders"/>.</summary>
    public static string CommonAncestor(IEnumerable<string> folders)
    {
        string[]? common = null;
        foreach (var folder in folders)
        {
            var parts = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
            if (common is null)
            {
                common = parts;
                continue;
            }

            var n = 0;
            while (n < common.Length && n < parts.Length && common[n] == parts[n])
            {
                n++;
            }

            common = common[..n];
        }

        var joined = string.Join(Path.DirectorySeparatorChar, common ?? []);
        return joined.Length == 0 ? Path.DirectorySeparatorChar.ToString() : joined;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies below it.</summary>
    public static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    /// <summary>
    /// <paramref name="path"/> relative to <paramref name="root"/>, forward-slashed; a folder (a path ending in a
    /// separator) keeps a trailing '/'.
    /// </summary>
    public static string Relative(string root, string path)
    {
        var isFolder = path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith('/');
        var relative = Path.GetRelativePath(root, path.TrimEnd(Path.DirectorySeparatorChar, '/')).Replace('\\', '/');
        return isFolder ? relative + "/" : relative;
    }

    /// <summary>The folders of <paramref name="folders"/> not inside another of them: a folder copied anyway needs no COPY line of its own.</summary>
    public static List<string> TopmostFolders(IEnumerable<string> folders)
    {
        var result = new List<string>();
        foreach (var folder in folders.OrderBy(f => f.Length).ThenBy(f => f, StringComparer.Ordinal))
        {
            if (!result.Any(r => IsInside(folder, r)))
            {
                result.Add(folder);
            }
        }

        return result;
    }
}
