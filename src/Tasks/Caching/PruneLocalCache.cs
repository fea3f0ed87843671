using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Caching;

/// <summary>After a `type=local` cache export: removes unreferenced blobs and keeps the folder under ContainerCacheLocalMaxSize.</summary>
public sealed class PruneLocalCache : Stevedore.Tasks.Plan.PlanTask
{
    /// <summary>ContainerCacheLocalMaxSize, e.g. 2GB.</summary>
    [Required]
    public string MaxSize { get; set; } = string.Empty;

    /// <summary>Bytes the prune removed.</summary>
    [Output]
    public long BytesFreed { get; private set; }

    protected override void Run()
    {
        var max = LocalCacheLayout.ParseSize(MaxSize);
        var plan = Current;
        if (plan.CacheTo.FirstOrDefault() is not { Type: "local" } spec)
        {
            return;
        }

        var result = new LocalCacheLayout(spec.Options["dest"]).Prune(max);
        BytesFreed = result.BytesFreed;
        Log.LogMessage(
            MessageImportance.High,
            "Stevedore: local cache {0}: removed {1} blobs ({2:N0} bytes), dropped {3} old entries, {4:N0} bytes left (cap {5:N0}).",
            spec.Options["dest"], result.BlobsRemoved, result.BytesFreed, result.ManifestsDropped, result.BytesLeft, max);
    }
}
