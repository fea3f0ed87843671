using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Caching;

/// <summary>
/// ContainerCacheRef: a registry cache per branch. Writes `&lt;ref&gt;:&lt;branch&gt;` (mode=max, ignore-error=true: a cache
/// outage never fails a build) and reads it plus the fallback branches' (`&lt;ref&gt;:main`), so a new branch starts warm.
/// </summary>
internal static class BranchCache
{
    /// <param name="cacheRef">ContainerCacheRef: [registry/]repository.</param>
    /// <param name="branches">The branch to write and the ones to read after it.</param>
    /// <param name="registry">ContainerRegistry, if set: a ref without a registry lives there, under its path (ghcr.io/my-org/api-cache).</param>
    public static (IReadOnlyList<CacheSpec> From, CacheSpec? To) Specs(string cacheRef, CiBranch branches, RegistryPrefix? registry = null)
    {
        var reference = ParseRef(cacheRef, registry);
        var from = new[] { branches.Branch }.Concat(branches.Fallbacks).OfType<string>()
            .Select(b => CacheSpec.Parse($"type=registry,ref={reference}:{CacheTag.FromBranch(b)}", CacheDirection.From))
            .ToList();
        var to = branches.Branch is { } branch
            ? CacheSpec.Parse($"type=registry,ref={reference}:{CacheTag.FromBranch(branch)},mode=max,ignore-error=true", CacheDirection.To)
            : null;
        return (from, to);
    }

    /// <summary>ContainerCacheRef as a repository without tag or digest, under the registry when it names none (STV3010).</summary>
    public static string ParseRef(string cacheRef, RegistryPrefix? registry)
    {
        try
        {
            var reference = ImageReference.Parse(cacheRef, "ContainerCacheRef");
            if (reference.Registry is null && registry is not null)
            {
                reference = reference with { Registry = registry.Host, Repository = registry.Repository(reference.Repository) };
            }

            return reference.Tag is null && reference.Digest is null ? reference.ToString() : throw new DiagnosticException("InvalidCacheRef", cacheRef);
        }
        catch (DiagnosticException e) when (e.ResourceName == "InvalidImage")
        {
            throw new DiagnosticException("InvalidCacheRef", cacheRef);
        }
    }
}
