using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Images;

/// <summary>
/// The labels of ContainerLabels: `key=value` lines as docker/metadata-action's `labels` output gives them, or one
/// line of `;`-separated pairs (a property set on the command line). A value keeps its own `=` and spaces.
/// </summary>
internal static class ContainerLabelLines
{
    /// <summary>The labels in order; a later line with the same key wins. A line that is no label: STV1070.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? text)
    {
        var labels = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return labels;
        }

        // Lines first: a label value (a repository description) may hold a ';' of its own.
        var lines = text.Contains('\n') ? text.Split('\n') : text.Split(';');
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=');
            var key = equals < 0 ? string.Empty : line[..equals].Trim();
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
            {
                throw new DiagnosticException("BadContainerLabelLine", line.Trim());
            }

            labels.RemoveAll(l => l.Key == key);
            labels.Add(new KeyValuePair<string, string>(key, line[(equals + 1)..]));
        }

        return labels;
    }
}
