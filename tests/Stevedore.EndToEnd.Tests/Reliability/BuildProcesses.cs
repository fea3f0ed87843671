namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>The `docker buildx build` processes of one build (the docker CLI and its docker-buildx plugin), found through /proc.</summary>
public static class BuildProcesses
{
    /// <summary>"pid: command line" of every docker or docker-buildx process running `buildx` with an argument containing <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> Of(string path)
    {
        var found = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // it ended while we looked
            }

            if (arguments.Length > 1
                && Path.GetFileName(arguments[0]) is "docker" or "docker-buildx"
                && arguments.Contains("buildx")
                && arguments.Any(a => a.Contains(path, StringComparison.Ordinal)))
            {
                found.Add($"{pid}: {string.Join(' ', arguments)}");
            }
        }

        return found;
    }

    /// <summary>True when some docker-buildx plugin process (not only the docker CLI) of the build runs.</summary>
    public static bool BuildxRuns(string path) => Of(path).Any(p => p.Contains("docker-buildx ", StringComparison.Ordinal));
}
