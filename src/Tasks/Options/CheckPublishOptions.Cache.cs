using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Options;

/// <summary>The cache options StevedoreResolveCache and the build use: cache specs, the branch cache's repository, the local cap.</summary>
public sealed partial class CheckPublishOptions
{
    /// <summary>ContainerCacheFrom items and property.</summary>
    public string[] CacheFrom { get; set; } = [];

    /// <summary>ContainerCacheTo items and property.</summary>
    public string[] CacheTo { get; set; } = [];

    /// <summary>ContainerCacheRef.</summary>
    public string? CacheRef { get; set; }

    /// <summary>ContainerCacheLocalMaxSize.</summary>
    public string? CacheLocalMaxSize { get; set; }

    // STV3001–STV3007, STV3010, STV3012; the branch ContainerCacheRef writes (git, CI) and the cache registry's reach are resolved later.
    private void CheckCache()
    {
        var (_, to) = CacheOptions.Parse(CacheFrom, CacheTo);
        CacheOptions.OneDestination(to);
        if (!string.IsNullOrWhiteSpace(CacheRef))
        {
            BranchCache.ParseRef(CacheRef.Trim(), ImageNames.Registry(Registry, null));
        }

        if (!string.IsNullOrWhiteSpace(CacheLocalMaxSize))
        {
            LocalCacheLayout.ParseSize(CacheLocalMaxSize);
        }
    }
}
