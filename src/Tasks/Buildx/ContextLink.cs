
namespace Stevedore.Tasks.Buildx;

/// <summary>
/// buildx 0.13 keys its upload of the build context by the context folder's name and sends only files whose size or
/// time changed since the last upload under that key: two checkouts whose contexts share a name (`repo`, `src`) on one
/// engine share one upload, and a build can take the other checkout's files (or fail, when both upload at once). A
/// symbolic link whose name is unique per real path gives every context its own key, and the same checkout keeps its
/// key from build to build (docs/diagnostics.md, "Two contexts with the same folder name"). The links live in a folder
/// of their own in the temp folder, never inside a repository, so nothing that walks a checkout meets a loop.
/// </summary>
internal static class ContextLink
{
    /// <summary>Where the links live unless a caller (a test) names another folder.</summary>
    public static string DefaultFolder => Path.Combine(Path.GetTempPath(), "stevedore-contexts");

    /// <summary>The path to hand buildx for <paramref name="context"/>: a link in <paramref name="linkFolder"/>, or the context itself where no link can be made.</summary>
    public static string For(string context, string? linkFolder = null)
    {
        if (OperatingSystem.IsWindows())
        {
            return context;
        }

        linkFolder = string.IsNullOrWhiteSpace(linkFolder) ? DefaultFolder : linkFolder;

        var target = Path.GetFullPath(context).TrimEnd(Path.DirectorySeparatorChar);
        var hash = Files.TextHash.Sha256Hex(target)[..12];
        var link = Path.Combine(Path.GetFullPath(linkFolder), "context-" + hash);
        try
        {
            if (new FileInfo(link).LinkTarget == target)
            {
                return link;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.Delete(link);
            File.CreateSymbolicLink(link, target);
            return link;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file system without links: the context as it is, with the hazard the docs describe.
            return context;
        }
    }
}
