namespace Stevedore.Tasks.Msbuild;

/// <summary>
/// The values of a list property or of items that may each hold a ';' list (a property turned into items keeps its
/// separators): split, trimmed, empty entries dropped, order kept.
/// </summary>
internal static class PropertyList
{
    public static IReadOnlyList<string> Split(params string?[] values) =>
        values.SelectMany(v => (v ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
