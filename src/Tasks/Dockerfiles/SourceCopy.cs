namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// The source COPY lines of a build stage: each folder of the project's closure, then the files it reads from outside
/// them, one line per destination folder. Never the whole context: an edit outside these inputs leaves the build cached.
/// </summary>
internal static class SourceCopy
{
    /// <summary>
    /// Adds the lines for <paramref name="inputs"/> (context-relative, folders ending in '/'); destinations are the same
    /// paths below <paramref name="root"/>: "" for paths relative to the stage's WORKDIR, "/src/" for absolute ones.
    /// </summary>
    public static void AddTo(DockerfileStage stage, IReadOnlyList<string> inputs, string root)
    {
        var comment = "Only the sources of the project and what it references, trimmed by the generated .dockerignore:"
            + " an edit anywhere else in the repository leaves this build cached.";
        foreach (var folder in inputs.Where(i => i.EndsWith('/')))
        {
            stage.Add("COPY", DockerfileWriter.JsonArray(folder == "./" ? "." : folder, Destination(root, folder)), comment);
            comment = null;
        }

        foreach (var group in inputs.Where(i => !i.EndsWith('/')).GroupBy(Folder, StringComparer.Ordinal))
        {
            stage.Add("COPY", DockerfileWriter.JsonArray([.. group, Destination(root, group.Key)]), comment);
            comment = null;
        }
    }

    private static string Destination(string root, string folder) => folder is "" or "./" ? (root.Length == 0 ? "./" : root) : root + folder;

    private static string Folder(string file)
    {
        var slash = file.LastIndexOf('/');
        return slash < 0 ? string.Empty : file[..(slash + 1)];
    }
}
