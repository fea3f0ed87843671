using System.Text.Json;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// What a Dockerfile reads from outside itself: the build context paths its COPY steps take and the images its stages
/// start from. Read only when every such read can be named exactly; null when one cannot (ADD, a wildcard or a variable in
/// a source or an image, a RUN with a bind mount of the context, a heredoc), so nothing is ever judged unchanged on a guess.
/// </summary>
internal sealed record DockerfileReads(IReadOnlyList<string> ContextPaths, IReadOnlyList<string> Images)
{
    public static DockerfileReads? Parse(string dockerfile) => Parse(DockerfileInstructions.Read(dockerfile));

    /// <summary>The same, from the instructions themselves (a generated model's, or a user's file's).</summary>
    public static DockerfileReads? Parse(IEnumerable<DockerfileLine> instructions)
    {
        var paths = new List<string>();
        var images = new List<string>();
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var instruction in instructions)
        {
            var keyword = instruction.Keyword;
            // An inline file's lines (a heredoc's body) follow the instruction's first line: only that line reads anything.
            var line = keyword + " " + instruction.Arguments.Split('\n')[0];
            var words = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (line.Contains("<<", StringComparison.Ordinal) && (keyword is "RUN" || keyword is "COPY" && !CopiesHeredocsOnly(line)))
            {
                return null;
            }

            switch (keyword)
            {
                case "FROM":
                    var from = words.Skip(1).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                    if (from.Count == 0 || from[0].Contains('$'))
                    {
                        return null;
                    }

                    if (!stages.Contains(from[0]) && from[0] != "scratch" && !images.Contains(from[0]))
                    {
                        images.Add(from[0]);
                    }

                    if (from.Count == 3 && from[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
                    {
                        stages.Add(from[2]);
                    }

                    break;
                case "ADD":
                    return null;
                case "COPY":
                    if (words.Any(w => w.StartsWith("--from=", StringComparison.Ordinal)))
                    {
                        break;
                    }

                    if (CopiesHeredocsOnly(line))
                    {
                        break; // a file written inline (the core-slot wait): nothing read from the context
                    }

                    var sources = Sources(line[words[0].Length..].TrimStart());
                    if (sources is null || sources.Any(s => s.IndexOfAny(['*', '?', '[', '$']) >= 0))
                    {
                        return null;
                    }

                    paths.AddRange(sources);
                    break;
                case "RUN":
                    if (words.Any(w => w.StartsWith("--mount=", StringComparison.Ordinal) && w.Contains("type=bind", StringComparison.Ordinal) && !w.Contains("from=", StringComparison.Ordinal)))
                    {
                        return null;
                    }

                    break;
            }
        }

        return new DockerfileReads(paths, images);
    }

    // The sources of a COPY (flags and destination left out), in its JSON or its plain form; null when unreadable.
    private static List<string>? Sources(string arguments)
    {
        var words = arguments.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 0 && words[0].StartsWith("--", StringComparison.Ordinal))
        {
            arguments = arguments[(arguments.IndexOf(words[0], StringComparison.Ordinal) + words[0].Length)..].TrimStart();
            words.RemoveAt(0);
        }

        List<string>? all;
        if (arguments.StartsWith('['))
        {
            try
            {
                all = JsonSerializer.Deserialize<List<string>>(arguments);
            }
            catch (JsonException)
            {
                return null;
            }
        }
        else
        {
            all = words;
        }

        return all is { Count: >= 2 } ? all[..^1] : null;
    }

    // A COPY whose every source is a heredoc (COPY <<'EOF' /path): a file written inline, nothing from the context.
    private static bool CopiesHeredocsOnly(string instruction) =>
        instruction.StartsWith("COPY ", StringComparison.OrdinalIgnoreCase) && Sources(instruction[4..].TrimStart()) is { Count: > 0 } sources
        && sources.All(DockerfileInstructions.IsHeredoc);
}
