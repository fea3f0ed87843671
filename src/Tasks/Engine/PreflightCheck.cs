using Stevedore.Tasks.Caching;

namespace Stevedore.Tasks.Engine;

/// <summary>One thing that would make the build fail, as a Strings.resx entry and the values its message names.</summary>
internal sealed record PreflightProblem(string ResourceName, params object[] Arguments);

/// <summary>What the build asks of the builder.</summary>
internal sealed record BuildRequest
{
    public required IReadOnlyList<string> Platforms { get; init; }

    /// <summary>--cache-to specs, parsed once (the build plan's).</summary>
    public IReadOnlyList<CacheSpec> CacheTo { get; init; } = [];

    /// <summary>Neither push nor archive: the image is loaded into the engine.</summary>
    public bool Load { get; init; }

    /// <summary>
    /// The platforms on which the Dockerfile runs steps (<see cref="StepPlatforms"/>); only those need the builder (an
    /// emulator for a foreign one). Null: unknown, so every platform does.
    /// </summary>
    public IReadOnlyList<string>? StepPlatforms { get; init; }
}

/// <summary>
/// The rules that decide, before buildx runs, whether this builder can do this build. Pure: the task feeds it
/// what `docker buildx inspect` and `docker info` said; tests feed it captured output.
/// </summary>
internal static class PreflightCheck
{
    // Cache exporters that write outside the image: the plain docker driver (no containerd store) has none of them.
    private static readonly HashSet<string> ExternalCacheExporters = new(StringComparer.Ordinal)
    {
        "local", "registry", "gha", "s3", "azblob",
    };

    public static IReadOnlyList<PreflightProblem> Run(BuildxBuilder builder, bool containerdImageStore, BuildRequest request)
    {
        var problems = new List<PreflightProblem>();
        // A stage on $BUILDPLATFORM cross-compiles and a final stage that only COPYs runs nothing: no emulator needed.
        var missing = (request.StepPlatforms ?? request.Platforms).Where(p => !builder.CanBuild(p)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(new PreflightProblem("PlatformNotSupported", builder.Name, string.Join(", ", missing), string.Join(", ", builder.Platforms)));
        }

        // The docker driver builds inside dockerd; its abilities are those of the engine's image store.
        var plainDockerDriver = builder.Driver == "docker" && !containerdImageStore;
        if (plainDockerDriver && request.Platforms.Count > 1)
        {
            problems.Add(new PreflightProblem("MultiPlatformNeedsImageStore", builder.Name, string.Join(", ", request.Platforms)));
        }

        if (plainDockerDriver)
        {
            foreach (var spec in request.CacheTo.Where(s => ExternalCacheExporters.Contains(s.Type)))
            {
                problems.Add(new PreflightProblem("CacheExportNeedsImageStore", builder.Name, spec.ToString()));
            }
        }

        // Other drivers load through `docker load` of one tarball, which holds one platform only.
        if (request.Load && request.Platforms.Count > 1 && builder.Driver != "docker")
        {
            problems.Add(new PreflightProblem("MultiPlatformLoad", builder.Name, builder.Driver, string.Join(", ", request.Platforms)));
        }

        return problems;
    }
}
