using System.Text;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>Writes a <see cref="DockerfileModel"/> as text: '\n' line ends, no timestamps, so equal models give equal bytes.</summary>
internal static class DockerfileWriter
{
    public static string Write(DockerfileModel model, string header)
    {
        var text = new StringBuilder();
        if (model.Syntax is not null)
        {
            // A parser directive is only honoured on the very first line.
            text.Append("# syntax=").Append(model.Syntax).Append('\n');
        }

        text.Append(header).Append('\n');
        foreach (var stage in model.Stages)
        {
            text.Append('\n').Append("FROM ");
            if (stage.Platform is not null)
            {
                text.Append("--platform=").Append(stage.Platform).Append(' ');
            }

            text.Append(stage.Image);
            if (stage.Name is not null)
            {
                text.Append(" AS ").Append(stage.Name);
            }

            text.Append('\n');
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Comment is not null)
                {
                    text.Append("# ").Append(instruction.Comment).Append('\n');
                }

                text.Append(instruction.Keyword).Append(' ').Append(instruction.Arguments).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A JSON string as Dockerfile exec/COPY arrays need it.</summary>
    public static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>A JSON array, e.g. for COPY ["src", "dest/"] and ENTRYPOINT.</summary>
    public static string JsonArray(params string[] values) => "[" + string.Join(", ", values.Select(Json)) + "]";

    /// <summary>A double-quoted value for ENV and LABEL, escaping what the Dockerfile parser would interpret.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // Keep non-ASCII readable and '+' unescaped: the file is for people too.
    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A shell word: bare when it is plainly safe, else double-quoted with ", \, $ and ` escaped.</summary>
    public static string ShellQuote(string value)
    {
        if (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '-' or '_' or ',' or '=' or ':' or '+'))
        {
            return value;
        }

        var text = new System.Text.StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\' or '$' or '`')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.Append('"').ToString();
    }
}
