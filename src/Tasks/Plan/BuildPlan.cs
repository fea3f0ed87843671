using System.Text.Json.Serialization;
using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Plan;

/// <summary>A BuildKit secret the build mounts: its id and the file buildx reads (never its contents).</summary>
internal sealed record PlanSecret(string Id, string Source);

/// <summary>The files of one build under obj/…/stevedore: what buildx writes and the report reads.</summary>
internal sealed record PlanFiles
{
    public string? Metadata { get; init; }

    public string? Progress { get; init; }

    public string? CommandLine { get; init; }

    public string? TestCommandLine { get; init; }

    /// <summary>ContainerRunTests' exported results (TRX, go test JSON, the exit code).</summary>
    public string? TestResults { get; init; }

    /// <summary>Where stevedore-report.json and .prom go.</summary>
    public string? ReportDirectory { get; init; }
}

/// <summary>
/// One project's build, decided once, from ResolveImages, Generate and ResolveCache: what Preflight, Test, Build, Bake
/// and Report read instead of parsing properties and files again. Written by <see cref="BuildPlanFile"/>.
/// </summary>
internal sealed record BuildPlan
{
    /// <summary>The file's format; a reader refuses another.</summary>
    public int Version { get; init; } = BuildPlanFile.Version;

    public required string Project { get; init; }

    /// <summary>The target platforms, parsed once (ResolveContainerImages), in order.</summary>
    public required IReadOnlyList<ContainerPlatform> Platforms { get; init; }

    public required string Dockerfile { get; init; }

    /// <summary>Stevedore generated the Dockerfile (its reads come from the model); false for a user's own.</summary>
    public bool DockerfileGenerated { get; init; }

    /// <summary>The build context root.</summary>
    public required string Context { get; init; }

    /// <summary>Full image references, one --tag each.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>The build stage's image and the final stage's base image (empty for a user's own Dockerfile).</summary>
    public IReadOnlyList<string> BaseImages { get; init; } = [];

    /// <summary>Push (ContainerRegistry set); otherwise load, or write <see cref="ArchivePath"/>.</summary>
    public bool Push { get; init; }

    public string? Registry { get; init; }

    public string? ArchivePath { get; init; }

    /// <summary>ContainerImageFormat as given (Docker, OCI or empty).</summary>
    public string? ImageFormat { get; init; }

    /// <summary>--cache-from specs, validated and normalized once (ResolveContainerCache).</summary>
    public IReadOnlyList<CacheSpec> CacheFrom { get; init; } = [];

    /// <summary>--cache-to specs (at most one), validated and normalized once.</summary>
    public IReadOnlyList<CacheSpec> CacheTo { get; init; } = [];

    public IReadOnlyList<PlanSecret> Secrets { get; init; } = [];

    public string? Builder { get; init; }

    public string? Network { get; init; }

    public string Progress { get; init; } = "plain";

    public string? Provenance { get; init; }

    public string? Sbom { get; init; }

    public string? SourceDateEpoch { get; init; }

    /// <summary>ContainerPushByDigest: push to <see cref="Repository"/> by digest and write it to <see cref="DigestFile"/>.</summary>
    public bool PushByDigest { get; init; }

    public string? DigestFile { get; init; }

    public string? Repository { get; init; }

    /// <summary>How the generated Dockerfile builds the platforms (once, per-platform) and why.</summary>
    public string? BuildMode { get; init; }

    public string? BuildModeReason { get; init; }

    /// <summary>How the OS packages are installed (unpack, run) and why; empty without packages.</summary>
    public string? OsPackageInstallMode { get; init; }

    public string? OsPackageInstallReason { get; init; }

    /// <summary>The target platforms on which some stage runs steps (the rest need no emulator); null: not known, all of them.</summary>
    public IReadOnlyList<string>? StepPlatforms { get; init; }

    /// <summary>What the Dockerfile's COPY steps and stages read; null when something cannot be named exactly.</summary>
    public DockerfileReads? Reads { get; init; }

    public PlanFiles Files { get; init; } = new();

    /// <summary>The specs as buildx takes them.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> CacheFromArguments => [.. CacheFrom.Select(s => s.ToString())];

    [JsonIgnore]
    public IReadOnlyList<string> CacheToArguments => [.. CacheTo.Select(s => s.ToString())];
}
