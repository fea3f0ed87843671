namespace Stevedore.Tasks.Dockerfiles;

/// <summary>One instruction as BuildKit reads it: the keyword (upper case) and its arguments on one line.</summary>
internal sealed record DockerfileLine(string Keyword, string Arguments)
{
    /// <summary>The arguments split at spaces and tabs.</summary>
    public string[] Words => Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// The instructions of a Dockerfile, for what Stevedore asks of it (which platforms run steps, what COPY reads): from a
/// generated model directly, or, for a user's own Dockerfile, from its text by the one tokenizer below.
/// </summary>
internal static partial class DockerfileInstructions
{
    /// <summary>
    /// The instructions of a Dockerfile's text: comments and blank lines dropped, `\` continuation lines joined. As in
    /// BuildKit, a comment or blank line inside a continued instruction is skipped; it does not end the instruction, and a
    /// heredoc's body is part of its instruction (after a new line in the arguments, as <see cref="Of"/> gives it).
    /// </summary>
    public static IEnumerable<DockerfileLine> Read(string dockerfile)
    {
        var pending = new System.Text.StringBuilder();
        var terminators = new List<string>();
        DockerfileLine? heredoc = null;
        foreach (var raw in dockerfile.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (heredoc is not null)
            {
                // A heredoc's body belongs to its instruction, line by line up to its terminator, as the model holds it.
                heredoc = heredoc with { Arguments = heredoc.Arguments + "\n" + raw };
                if (line == terminators[0])
                {
                    terminators.RemoveAt(0);
                }

                if (terminators.Count == 0)
                {
                    yield return heredoc;
                    heredoc = null;
                }

                continue;
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1].TrimEnd()).Append(' ');
                continue;
            }

            pending.Append(line);
            var instruction = Split(pending.ToString());
            pending.Clear();
            terminators.AddRange(instruction.Keyword is "RUN" or "COPY" ? instruction.Words.Where(IsHeredoc).Select(w => Heredoc().Match(w).Groups["word"].Value) : []);
            if (terminators.Count == 0)
            {
                yield return instruction;
            }
            else
            {
                heredoc = instruction;
            }
        }

        if (heredoc is not null)
        {
            yield return heredoc;
        }

        if (pending.ToString().Trim().Length > 0)
        {
            yield return Split(pending.ToString());
        }
    }

    /// <summary>A heredoc marker (`<<EOF`, `<<-EOF`, `<<'EOF'`, `<<"EOF"`): an inline file or script whose lines follow.</summary>
    public static bool IsHeredoc(string word) => Heredoc().IsMatch(word);

    [System.Text.RegularExpressions.GeneratedRegex(@"^<<-?(['""]?)(?<word>\w+)\1$")]
    private static partial System.Text.RegularExpressions.Regex Heredoc();

    /// <summary>The instructions of a model Stevedore generates, as its writer writes them, without reading any text back.</summary>
    public static IEnumerable<DockerfileLine> Of(DockerfileModel model)
    {
        foreach (var stage in model.Stages)
        {
            var platform = stage.Platform is null ? string.Empty : "--platform=" + stage.Platform + " ";
            var name = stage.Name is null ? string.Empty : " AS " + stage.Name;
            yield return new DockerfileLine("FROM", platform + stage.Image + name);
            foreach (var instruction in stage.Instructions)
            {
                yield return new DockerfileLine(instruction.Keyword.ToUpperInvariant(), Continuation().Replace(instruction.Arguments, " ").Trim());
            }
        }
    }

    // A continued line as the writer writes it (` \` then a new line and its indent), joined as the text reader joins it.
    [System.Text.RegularExpressions.GeneratedRegex(@"[ \t]*\\\n[ \t]*")]
    private static partial System.Text.RegularExpressions.Regex Continuation();

    private static DockerfileLine Split(string text)
    {
        text = text.Trim();
        var space = text.IndexOfAny([' ', '\t']);
        return space < 0 ? new DockerfileLine(text.ToUpperInvariant(), string.Empty) : new DockerfileLine(text[..space].ToUpperInvariant(), text[(space + 1)..].Trim());
    }
}
