using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Stevedore.Tasks.Platforms;

/// <summary>
/// Platforms as MSBuild items (StevedorePlatform), parsed once by ResolveContainerImages: ItemSpec os/arch[/variant],
/// metadata Os, Architecture, Variant and RuntimeIdentifier, as the .NET SDK's container targets carry per-platform
/// results. Later tasks take the items (or the build plan) and never parse ContainerPlatforms again.
/// </summary>
internal static class PlatformItems
{
    public static ITaskItem ToItem(ContainerPlatform platform) => new TaskItem(platform.ToString(), new Dictionary<string, string>
    {
        ["Os"] = platform.Os,
        ["Architecture"] = platform.Architecture,
        ["Variant"] = platform.Variant ?? string.Empty,
        ["RuntimeIdentifier"] = platform.DotNetRuntimeIdentifier,
    });

    /// <summary>The platforms of StevedorePlatform items, in order (no parsing: the metadata holds the parts).</summary>
    public static IReadOnlyList<ContainerPlatform> From(IEnumerable<ITaskItem> items) =>
        [.. items.Select(i => new ContainerPlatform(i.GetMetadata("Os"), i.GetMetadata("Architecture"), i.GetMetadata("Variant") is { Length: > 0 } v ? v : null))];
}
