using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Caching;

/// <summary>
/// ContainerCacheFrom / ContainerCacheTo as the project writes them: one piece of code that StevedoreCheckOptions calls
/// to refuse a bad spec first (STV3001–STV3007) and StevedoreResolveCache calls to use it.
/// </summary>
internal static class CacheOptions
{
    /// <summary>Every spec parsed, in order; items may hold ';' lists when a property was turned into items.</summary>
    public static (List<CacheSpec> From, List<CacheSpec> To) Parse(string[] cacheFrom, string[] cacheTo) =>
        ([.. Msbuild.PropertyList.Split(cacheFrom).Select(s => CacheSpec.Parse(s, CacheDirection.From))],
         [.. Msbuild.PropertyList.Split(cacheTo).Select(s => CacheSpec.Parse(s, CacheDirection.To))]);

    /// <summary>Buildx exports the build cache to one destination (STV3007).</summary>
    public static void OneDestination(IReadOnlyCollection<CacheSpec> to)
    {
        if (to.Count > 1)
        {
            throw new DiagnosticException("SeveralCacheTo", string.Join("; ", to));
        }
    }
}
