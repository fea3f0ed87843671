namespace Stevedore.Tasks.Caching;

/// <summary>Which buildx flag a cache spec is for.</summary>
internal enum CacheDirection
{
    /// <summary>--cache-from: a cache the build imports.</summary>
    From,

    /// <summary>--cache-to: where the build exports its cache.</summary>
    To,
}
