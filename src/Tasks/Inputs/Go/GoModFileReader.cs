using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Inputs.Go;

/// <summary>One directive of a go.mod or go.work file, with a block's verb repeated on every line of the block.</summary>
/// <param name="Arguments">The tokens after the verb, unquoted.</param>
/// <param name="Comment">The text of a trailing `//` comment (e.g. "indirect"), trimmed, or empty.</param>
internal sealed record GoDirective(string Verb, IReadOnlyList<string> Arguments, string Comment, int Line);

/// <summary>
/// Reads the line-oriented syntax shared by go.mod and go.work: `verb args // comment` and `verb ( … )` blocks,
/// tokens quoted with "…" or `…`. Interpreting the verbs is the job of <see cref="GoModule"/> and <see cref="GoWork"/>.
/// </summary>
internal static class GoModFileReader
{
    public static IReadOnlyList<GoDirective> Read(string text, string path)
    {
        var result = new List<GoDirective>();
        string? block = null;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var (tokens, comment) = Tokenize(lines[i], path, i + 1);
            if (tokens.Count == 0)
            {
                continue;
            }

            if (block is not null)
            {
                if (tokens is [")"])
                {
                    block = null;
                }
                else
                {
                    result.Add(new GoDirective(block, tokens, comment, i + 1));
                }

                continue;
            }

            if (tokens is [var verb, "("])
            {
                block = verb;
                continue;
            }

            result.Add(new GoDirective(tokens[0], tokens.Skip(1).ToList(), comment, i + 1));
        }

        if (block is not null)
        {
            throw new DiagnosticException("GoModSyntax", path, lines.Length, $"the '{block} (' block is never closed");
        }

        return result;
    }

    private static (List<string> Tokens, string Comment) Tokenize(string line, string path, int number)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '/' && i + 1 < line.Length && line[i + 1] == '/')
            {
                return (tokens, line[(i + 2)..].Trim());
            }
            else if (c is '"' or '`')
            {
                var end = line.IndexOf(c, i + 1);
                if (end < 0)
                {
                    throw new DiagnosticException("GoModSyntax", path, number, "a quoted string is not closed");
                }

                // Go's escapes in "…" are not needed for module paths or file paths; keep the text as written.
                tokens.Add(line[(i + 1)..end]);
                i = end + 1;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var start = i;
                while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] is not ('(' or ')')
                       && !(line[i] == '/' && i + 1 < line.Length && line[i + 1] == '/'))
                {
                    i++;
                }

                tokens.Add(line[start..i]);
            }
        }

        return (tokens, string.Empty);
    }
}
