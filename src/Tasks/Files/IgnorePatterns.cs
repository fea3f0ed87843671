using System.Text;
using System.Text.RegularExpressions;

namespace Stevedore.Tasks.Files;

/// <summary>
/// A .dockerignore file read the way BuildKit reads it (moby/patternmatcher): one pattern per line, `#` comments,
/// a leading `/` dropped, `!` to bring a path back in; `*` and `?` stay within one path segment, `**` crosses any number
/// of them; a path is left out when the last pattern that matches it, or one of its parent folders, is not a `!` one.
/// </summary>
internal sealed class IgnorePatterns
{
    private readonly IReadOnlyList<(Regex Pattern, bool Exclusion)> patterns;

    private IgnorePatterns(IReadOnlyList<(Regex Pattern, bool Exclusion)> patterns) => this.patterns = patterns;

    /// <summary>True when some pattern brings paths back in (`!`): an ignored folder may then still hold files that are not.</summary>
    public bool HasExclusions => patterns.Any(p => p.Exclusion);

    /// <summary>No pattern: nothing is left out.</summary>
    public static IgnorePatterns None { get; } = new([]);

    public static IgnorePatterns Parse(string text) =>
        new([.. Lines(text).Select(l => (Pattern: Clean(l.Pattern), l.Exclusion)).Where(l => l.Pattern.Length > 0).Select(l => (ToRegex(l.Pattern), l.Exclusion))]);

    /// <summary>
    /// The patterns of a .dockerignore text as written: blank lines and `#` comments left out, a leading `!` taken off
    /// into <c>Exclusion</c>, leading `/` dropped (the context root is where every pattern starts).
    /// </summary>
    public static IEnumerable<(bool Exclusion, string Pattern)> Lines(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exclusion = line.StartsWith('!');
            yield return (exclusion, (exclusion ? line[1..] : line).Trim().TrimStart('/'));
        }
    }

    /// <summary>Whether <paramref name="path"/> (relative to the context, `/`-separated) is left out of the context.</summary>
    public bool Ignores(string path)
    {
        var parents = path.Split('/');
        var ignored = false;
        foreach (var (pattern, exclusion) in patterns)
        {
            if (exclusion != ignored)
            {
                continue; // an ignore pattern cannot change an ignored path, a `!` one cannot change a kept one
            }

            var match = pattern.IsMatch(path);
            for (var i = 1; !match && i < parents.Length; i++)
            {
                match = pattern.IsMatch(string.Join('/', parents[..i]));
            }

            if (match)
            {
                ignored = !exclusion;
            }
        }

        return ignored;
    }

    // Go's filepath.Clean for relative, slash-separated patterns: no empty or `.` segments, `..` folded.
    private static string Clean(string pattern)
    {
        var parts = new List<string>();
        foreach (var part in pattern.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    private static Regex ToRegex(string pattern)
    {
        var text = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    i++;
                }

                // `**` at the end takes everything below; elsewhere any number of folders, none included.
                text.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
            }
            else if (c == '*')
            {
                text.Append("[^/]*");
            }
            else if (c == '?')
            {
                text.Append("[^/]");
            }
            else if (c == '[')
            {
                var end = pattern.IndexOf(']', i + 1);
                if (end < 0)
                {
                    text.Append(@"\[");
                    continue;
                }

                var set = pattern[(i + 1)..end];
                text.Append('[').Append(set.StartsWith('^') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                i = end;
            }
            else if (c == '\\' && i + 1 < pattern.Length)
            {
                text.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                text.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(text.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
