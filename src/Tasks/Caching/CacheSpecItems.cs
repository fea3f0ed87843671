using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Stevedore.Tasks.Caching;

/// <summary>
/// Cache specs as MSBuild items, so they travel typed from ResolveContainerCache into the build plan: ItemSpec the
/// normalized spec (for people reading a log), metadata Direction, Type and each option under its own name.
/// </summary>
internal static class CacheSpecItems
{
    private static readonly HashSet<string> Own = new(StringComparer.OrdinalIgnoreCase) { "Direction", "Type" };

    public static ITaskItem ToItem(CacheSpec spec)
    {
        var item = new TaskItem(spec.ToString());
        item.SetMetadata("Direction", spec.Direction == CacheDirection.To ? "to" : "from");
        item.SetMetadata("Type", spec.Type);
        foreach (var (key, value) in spec.Options)
        {
            item.SetMetadata(key, value);
        }

        return item;
    }

    /// <summary>The spec an item carries; its parts were validated when the item was made.</summary>
    public static CacheSpec From(ITaskItem item)
    {
        var metadata = item.CloneCustomMetadata();
        var options = metadata.Keys.Cast<string>().Where(k => !Own.Contains(k)).ToDictionary(k => k, k => (string)metadata[k]!, StringComparer.Ordinal);
        return CacheSpec.Of(item.GetMetadata("Type"), item.GetMetadata("Direction") == "to" ? CacheDirection.To : CacheDirection.From, options);
    }
}
