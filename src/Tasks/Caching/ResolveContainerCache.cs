using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Engine;
using Stevedore.Tasks.Files;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Caching;

/// <summary>
/// Turns ContainerCacheFrom / ContainerCacheTo / ContainerCacheRef into the normalized --cache-from and --cache-to
/// specs (STV3001–STV3011), and checks before the build that a registry cache whose export errors are not ignored
/// can be reached: buildx pushes the image before it exports the cache, so a late failure would move the tag.
/// </summary>
public sealed class ResolveContainerCache : StevedoreTask
{
    /// <summary>ContainerCacheFrom items and property values; each may be a ';' list of specs.</summary>
    public string[] CacheFrom { get; set; } = [];

    /// <summary>ContainerCacheTo items and property values; at most one spec in all.</summary>
    public string[] CacheTo { get; set; } = [];

    /// <summary>ContainerCacheRef: a registry repository that gets one cache tag per branch.</summary>
    public string? CacheRef { get; set; }

    /// <summary>ContainerRegistry: a ContainerCacheRef without a registry goes there, under its path.</summary>
    public string? Registry { get; set; }

    /// <summary>ContainerCacheBranch: the branch to write; empty: from CI variables, then git.</summary>
    public string? Branch { get; set; }

    /// <summary>ContainerCacheDefaultBranch: the branch whose cache a new branch reads; empty: the CI's default, else main.</summary>
    public string? DefaultBranch { get; set; }

    /// <summary>Where git runs to find the branch outside CI.</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>Probe registry caches before building (off when the build only prints its command).</summary>
    public bool CheckReachable { get; set; } = true;

    /// <summary>Normalized --cache-from specs, in order.</summary>
    [Output]
    public string[] ResolvedCacheFrom { get; private set; } = [];

    /// <summary>The normalized --cache-to spec, if any.</summary>
    [Output]
    public string[] ResolvedCacheTo { get; private set; } = [];

    /// <summary>
    /// Every spec, parsed once, for the build plan: ItemSpec the normalized spec, metadata Direction (from, to), Type
    /// and one metadata per option (<see cref="CacheSpecItems"/>).
    /// </summary>
    [Output]
    public ITaskItem[] CacheSpecs { get; private set; } = [];

    /// <summary>The branch ContainerCacheRef writes, if any.</summary>
    [Output]
    public string CacheBranch { get; private set; } = string.Empty;

    /// <summary>Seam: reads an environment variable.</summary>
    internal Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Seam: `git rev-parse --abbrev-ref HEAD`.</summary>
    internal Func<string?>? GitBranch { get; set; }

    /// <summary>Seam: connects to a registry (host[:port]); returns why it failed, or null.</summary>
    internal Func<string, string?> Probe { get; set; } = registry => RegistryProbe.Connect(registry, TimeSpan.FromSeconds(10));

    protected override void Run()
    {
        var (from, to) = CacheOptions.Parse(CacheFrom, CacheTo);
        if (!string.IsNullOrWhiteSpace(CacheRef))
        {
            var branches = string.IsNullOrWhiteSpace(Branch)
                ? CiBranch.Find(Environment, GitBranch ?? (() => RunGit(ProjectDirectory)), DefaultBranch)
                : CiBranch.Find(_ => null, () => Branch, DefaultBranch);
            var registry = string.IsNullOrWhiteSpace(Registry) ? null : RegistryPrefix.Parse(Registry);
            var (branchFrom, branchTo) = BranchCache.Specs(CacheRef!.Trim(), branches, registry);
            if (branchTo is null)
            {
                Log.LogWarningWithCodeFromResources("CacheBranchUnknown", "HEAD", string.Join(", ", branches.Fallbacks));
            }
            else
            {
                to.Add(branchTo);
                CacheBranch = branches.Branch!;
            }

            from.AddRange(branchFrom);
        }

        // Known only now: the branch ContainerCacheRef writes adds a destination.
        CacheOptions.OneDestination(to);

        if (CheckReachable)
        {
            foreach (var spec in to.Where(s => s.Type == "registry" && !s.IgnoresErrors))
            {
                var registry = ImageReference.Parse(spec.Options["ref"], "ContainerCacheTo").Registry ?? "docker.io";
                if (Probe(registry) is { } why)
                {
                    throw new DiagnosticException("CacheUnreachable", registry, spec.ToString(), why);
                }
            }
        }

        ResolvedCacheFrom = from.Select(s => s.ToString()).Distinct(StringComparer.Ordinal).ToArray();
        ResolvedCacheTo = to.Select(s => s.ToString()).ToArray();
        CacheSpecs = [.. from.DistinctBy(s => s.ToString()).Concat(to).Select(CacheSpecItems.ToItem)];
    }

    private static string? RunGit(string? directory) =>
        Git.Output(string.IsNullOrEmpty(directory) ? System.Environment.CurrentDirectory : directory, ["rev-parse", "--abbrev-ref", "HEAD"]);
}
