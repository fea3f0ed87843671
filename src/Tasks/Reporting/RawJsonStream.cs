using System.Text;
using System.Text.Json;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// Splits `docker buildx build --progress=rawjson` output, fed line by line, into its JSON status objects (printed
/// indented over many lines) and the plain lines between them (buildx's own `ERROR: …`).
/// </summary>
internal sealed class RawJsonStream
{
    private readonly StringBuilder pending = new();
    private int depth;
    private bool inString;
    private bool escaped;

    /// <summary>
    /// Feeds one line: a plain line is kept in <paramref name="text"/> (unless blank) and returned; each status object
    /// it completes goes to <paramref name="onStatus"/>, whose log lines are returned.
    /// </summary>
    public IReadOnlyList<string> Feed(string line, List<string> text, Func<JsonElement, IEnumerable<string>> onStatus)
    {
        var (objects, plain) = Add(line);
        if (plain is not null)
        {
            if (plain.Trim().Length > 0)
            {
                text.Add(plain);
            }

            return [plain];
        }

        return [.. objects.Where(o => o.ValueKind == JsonValueKind.Object).SelectMany(onStatus)];
    }

    /// <summary>Feeds one line; returns the status objects it completed and the plain text it held.</summary>
    public (IReadOnlyList<JsonElement> Objects, string? Text) Add(string line)
    {
        if (depth == 0 && !line.TrimStart().StartsWith('{'))
        {
            return ([], line);
        }

        var objects = new List<JsonElement>();
        foreach (var c in line)
        {
            pending.Append(c);
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
                escaped = false;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                objects.Add(Parse(pending.ToString()));
                pending.Clear();
            }
        }

        pending.Append('\n');
        if (depth == 0)
        {
            pending.Clear();
        }

        return (objects, null);
    }

    private static JsonElement Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default; // an unexpected fragment is skipped, never fatal to the build
        }
    }
}
