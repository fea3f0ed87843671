using System.Globalization;
using System.Text;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Caching;

/// <summary>
/// One buildx cache spec (`type=registry,ref=…,mode=max`), validated against its backend's options and written back
/// in one deterministic form: type first, then the options in ordinal order.
/// </summary>
internal sealed class CacheSpec
{
    private static readonly string[] Booleans = ["ignore-error", "oci-mediatypes", "image-manifest", "force-compression", "use_path_style"];
    private static readonly string[] Compressions = ["uncompressed", "gzip", "estargz", "zstd"];

    private CacheSpec(string type, CacheDirection direction, SortedDictionary<string, string> options)
    {
        Type = type;
        Direction = direction;
        Options = options;
    }

    public string Type { get; }

    public CacheDirection Direction { get; }

    /// <summary>The options besides type, in ordinal order.</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>`mode=max` exports every stage's layers; min (the default) only the final image's.</summary>
    public bool IsModeMax => Options.TryGetValue("mode", out var mode) && mode == "max";

    /// <summary>A failed export only warns (buildx `ignore-error=true`).</summary>
    public bool IgnoresErrors => Options.TryGetValue("ignore-error", out var value) && value == "true";

    /// <summary>What the cache is called in messages and the report: the ref, folder, scope or bucket.</summary>
    public string Location =>
        Options.TryGetValue("ref", out var r) ? r
        : Options.TryGetValue("dest", out var d) ? d
        : Options.TryGetValue("src", out var s) ? s
        : Options.TryGetValue("bucket", out var b) ? b
        : Options.TryGetValue("account_url", out var a) ? a
        : Options.TryGetValue("scope", out var scope) ? scope
        : Type;

    /// <summary>Parses <paramref name="text"/>; throws STV3001–STV3006 naming the bad part.</summary>
    public static CacheSpec Parse(string text, CacheDirection direction)
    {
        var flag = direction == CacheDirection.From ? "cache-from" : "cache-to";
        var fields = SplitFields(text);
        var pairs = new List<(string Key, string Value)>();
        foreach (var field in fields)
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(equals < 0 ? (field.Trim(), string.Empty) : (field[..equals].Trim(), field[(equals + 1)..].Trim()));
        }

        // First, before any message quotes the spec: a secret must never reach the log.
        if (pairs.FirstOrDefault(p => CacheBackend.Secrets.ContainsKey(p.Key)) is { Key: not null } secret)
        {
            throw new DiagnosticException("CacheSpecSecret", Redacted(pairs), secret.Key, CacheBackend.Secrets[secret.Key]);
        }

        // buildx's shorthand: a bare value is a registry ref.
        if (pairs is [(var only, "")] && !only.Contains('=', StringComparison.Ordinal) && only.Length > 0)
        {
            pairs = [("type", "registry"), ("ref", only)];
        }

        var display = Redacted(pairs);
        var type = pairs.Where(p => p.Key == "type").Select(p => p.Value.ToLowerInvariant()).FirstOrDefault()
            ?? throw new DiagnosticException("CacheSpecMissingOption", display, "buildx", flag, "type");
        var types = CacheBackend.All.Values.Where(b => b.Keys(direction).Length > 0 || direction == CacheDirection.To).Select(b => b.Type).ToArray();
        if (!CacheBackend.All.TryGetValue(type, out var backend) || !types.Contains(type))
        {
            throw new DiagnosticException("CacheSpecUnknownType", display, type, flag, string.Join(", ", types));
        }

        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs.Where(p => p.Key != "type"))
        {
            if (!backend.Keys(direction).Contains(key))
            {
                throw new DiagnosticException("CacheSpecUnknownOption", display, key, type, flag, string.Join(", ", backend.Keys(direction)));
            }

            if (options.ContainsKey(key))
            {
                throw new DiagnosticException("CacheSpecInvalidValue", display, key, value, "give it once");
            }

            options[key] = Validate(display, type, key, value);
        }

        if (backend.Required(direction).FirstOrDefault(k => !options.ContainsKey(k)) is { } missing)
        {
            throw new DiagnosticException("CacheSpecMissingOption", display, type, flag, missing);
        }

        if (type == "inline" && options.TryGetValue("mode", out var inlineMode) && inlineMode == "max")
        {
            throw new DiagnosticException("CacheSpecInlineModeMax", display);
        }

        return new CacheSpec(type, direction, options);
    }

    /// <summary>A spec <see cref="Parse"/> validated before, as the build plan carries it (type and options apart).</summary>
    internal static CacheSpec Of(string type, CacheDirection direction, IReadOnlyDictionary<string, string> options) =>
        new(type, direction, new SortedDictionary<string, string>(options.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal));

    /// <summary>This spec with one option set (e.g. the ignore-error a branch cache adds).</summary>
    public CacheSpec With(string key, string value) =>
        new(Type, Direction, new SortedDictionary<string, string>(Options.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal) { [key] = value });

    /// <summary>The normalized spec buildx receives: `type=…` then the options in ordinal order, CSV-quoted where needed.</summary>
    public override string ToString() =>
        string.Join(',', new[] { "type=" + Type }.Concat(Options.Select(p => Quote(p.Key + "=" + p.Value))));

    private static string Validate(string display, string type, string key, string value)
    {
        if (value.Length == 0)
        {
            throw new DiagnosticException("CacheSpecInvalidValue", display, key, value, "give it a value");
        }

        if (key == "mode")
        {
            return value is "min" or "max" ? value : throw new DiagnosticException("CacheSpecInvalidValue", display, key, value, "use min or max");
        }

        if (Booleans.Contains(key))
        {
            return bool.TryParse(value, out var b) ? (b ? "true" : "false") : throw new DiagnosticException("CacheSpecInvalidValue", display, key, value, "use true or false");
        }

        if (key == "compression")
        {
            return Compressions.Contains(value) ? value : throw new DiagnosticException("CacheSpecInvalidValue", display, key, value, "use " + string.Join(", ", Compressions));
        }

        if (key is "compression-level" or "upload_parallelism")
        {
            var max = key == "compression-level" ? 22 : 1024;
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max
                ? n.ToString(CultureInfo.InvariantCulture)
                : throw new DiagnosticException("CacheSpecInvalidValue", display, key, value, $"use a whole number 0-{max}");
        }

        if (key == "ref" && (value.Contains("://", StringComparison.Ordinal) || value.Any(char.IsWhiteSpace)))
        {
            throw new DiagnosticException("CacheSpecInvalidValue", display, key, value, "use an image reference such as registry.example.com/shop/api-cache:main");
        }

        return value;
    }

    // buildx reads a spec as one CSV record: a field with a comma or quote is quoted, quotes doubled.
    private static List<string> SplitFields(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                if (quoted && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields.Where(f => f.Trim().Length > 0).ToList();
    }

    private static string Quote(string field) =>
        field.Contains(',', StringComparison.Ordinal) || field.Contains('"', StringComparison.Ordinal) ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static string Redacted(IEnumerable<(string Key, string Value)> pairs) =>
        string.Join(',', pairs.Select(p => CacheBackend.Secrets.ContainsKey(p.Key) ? p.Key + "=***" : p.Value.Length == 0 ? p.Key : p.Key + "=" + p.Value));
}
