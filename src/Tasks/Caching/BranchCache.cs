using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Caching;

/// <summary>
/// ContainerCacheRef: a registry cache per branch. Writes `&lt;ref&gt;:&lt;branch&gt;` (mode=max, ignore-error=true: a cache
/// outage never fails a build) and reads it plus the fallback branches' (`&lt;ref&gt;:main`), so a new branch starts warm.
/// </summary>
public static class BranchCache
{
    public static (IReadOnlyList<CacheSpec> From, CacheSpec? To) Specs(string cacheRef, CiBranch branches)
    {
        var reference = ParseRef(cacheRef);
        var from = new[] { branches.Branch }.Concat(branches.Fallbacks).OfType<string>()
            .Select(b => CacheSpec.Parse($"type=registry,ref={reference}:{CacheTag.FromBranch(b)}", CacheDirection.From))
            .ToList();
        var to = branches.Branch is { } branch
            ? CacheSpec.Parse($"type=registry,ref={reference}:{CacheTag.FromBranch(branch)},mode=max,ignore-error=true", CacheDirection.To)
            : null;
        return (from, to);
    }

    private static string ParseRef(string cacheRef)
    {
        try
        {
            var reference = ImageReference.Parse(cacheRef, "ContainerCacheRef");
            return reference.Tag is null && reference.Digest is null ? reference.ToString() : throw new DiagnosticException("InvalidCacheRef", cacheRef);
        }
        catch (DiagnosticException e) when (e.ResourceName == "InvalidImage")
        {
            throw new DiagnosticException("InvalidCacheRef", cacheRef);
        }
    }
}
