using System.Text.Json;
using System.Text.Json.Serialization;
using Stevedore.Tasks.Inputs.DotNet;

namespace Stevedore.Tasks.Dockerfiles.DotNet;

/// <summary>
/// One restore that several container projects of a solution's bake share: every project of the group writes the same
/// restore lines (the union of their restore inputs, one `dotnet restore` of all of them for every RID any of them
/// targets), so BuildKit runs the step once for the whole bake and every image's build continues from that one layer.
/// </summary>
/// <param name="Context">The build context every project of the group has (full path).</param>
/// <param name="Projects">The projects, relative to <paramref name="Context"/>, in ordinal order: the first is restore's entry.</param>
/// <param name="RuntimeIdentifiers">Every RID a project of the group targets or lists itself, in ordinal order.</param>
/// <param name="RestoreInputs">The union of the projects' restore inputs, in COPY order.</param>
internal sealed record SharedRestoreGroup(
    string Context,
    IReadOnlyList<string> Projects,
    IReadOnlyList<string> RuntimeIdentifiers,
    IReadOnlyList<RestoreInput> RestoreInputs);

/// <summary>The bake's shared restores (shared-restore.json beside bake.json), written before any project generates its Dockerfile.</summary>
internal static class SharedRestore
{
    // A restore input's kind by name; what it derives (IsFolder) is not written.
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        IgnoreReadOnlyProperties = true,
        Converters = { new JsonStringEnumConverter<RestoreInputKind>() },
    };

    public static string Serialize(IReadOnlyList<SharedRestoreGroup> groups) => JsonSerializer.Serialize(groups, Options) + "\n";

    /// <summary>
    /// The group <paramref name="projectRelativePath"/> (relative to <paramref name="context"/>) belongs to, or null: no
    /// file (a publish outside a bake), no group, or a file this version cannot read (the project restores alone).
    /// </summary>
    public static SharedRestoreGroup? Find(string? file, string? context, string projectRelativePath)
    {
        if (string.IsNullOrWhiteSpace(file) || string.IsNullOrWhiteSpace(context) || !File.Exists(file))
        {
            return null;
        }

        List<SharedRestoreGroup>? groups;
        try
        {
            groups = JsonSerializer.Deserialize<List<SharedRestoreGroup>>(File.ReadAllText(file), Options);
        }
        catch (JsonException)
        {
            return null;
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(context));
        return groups?.FirstOrDefault(g => string.Equals(Path.TrimEndingDirectorySeparator(g.Context), root, StringComparison.Ordinal)
            && g.Projects.Contains(projectRelativePath, StringComparer.Ordinal));
    }
}
