using System.Text.Json;
using System.Text.Json.Serialization;
using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Plan;

/// <summary>
/// Writes and reads build-plan.json: indented, properties in declaration order, cache options in ordinal order, '\n'
/// line ends, so the same plan gives the same bytes; written atomically and only when it changed.
/// </summary>
internal static class BuildPlanFile
{
    /// <summary>The format of the file this assembly writes.</summary>
    public const int Version = 1;

    /// <summary>The file's name under obj/…/stevedore.</summary>
    public const string FileName = "build-plan.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new CacheSpecConverter() },
    };

    public static string ToJson(BuildPlan plan) => JsonSerializer.Serialize(plan, Options).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    /// <summary>The plan a task was given as its Plan item (StevedoreBuildPlan); a missing item is a defect of the targets.</summary>
    public static BuildPlan ReadItem(Microsoft.Build.Framework.ITaskItem? plan, string task) =>
        Read(plan?.ItemSpec ?? throw new InvalidOperationException(task + " needs its Plan (StevedoreBuildPlan)."));

    /// <summary>Writes <paramref name="plan"/> to <paramref name="path"/> unless the file already says the same.</summary>
    public static void Write(string path, BuildPlan plan)
    {
        var json = ToJson(plan);
        if (!File.Exists(path) || File.ReadAllText(path) != json)
        {
            AtomicFile.Write(path, json);
        }
    }

    /// <summary>Reads the plan WriteBuildPlan wrote; a missing, unreadable or other-version file is STV1043.</summary>
    public static BuildPlan Read(string path)
    {
        try
        {
            var plan = JsonSerializer.Deserialize<BuildPlan>(File.ReadAllText(path), Options);
            return plan is { Version: Version } ? plan : throw new DiagnosticException("BuildPlanUnreadable", path, $"format {plan?.Version}, not {Version}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            throw new DiagnosticException("BuildPlanUnreadable", path, e.Message);
        }
    }

    // A spec travels as its type, direction and options, never as text to parse again.
    private sealed class CacheSpecConverter : JsonConverter<CacheSpec>
    {
        public override CacheSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = JsonSerializer.Deserialize<SpecValue>(ref reader, options) ?? throw new JsonException("a cache spec is null");
            return CacheSpec.Of(value.Type, value.Direction == "to" ? CacheDirection.To : CacheDirection.From, value.Options);
        }

        public override void Write(Utf8JsonWriter writer, CacheSpec value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new SpecValue(value.Type, value.Direction == CacheDirection.To ? "to" : "from", value.Options), options);

        private sealed record SpecValue(string Type, string Direction, IReadOnlyDictionary<string, string> Options);
    }
}
