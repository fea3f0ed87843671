using Stevedore.Tasks.Plan;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// One buildx run of a project's build plan: the image, or (with <see cref="LocalOutput"/>) the test stage's export,
/// which makes no image: no tags, push, archive, cache export or attestations. Its <see cref="Command"/> is what
/// <see cref="BuildContainerImage"/> runs and what <see cref="Bake.WriteBakeTarget"/> writes as the project's bake target.
/// </summary>
internal sealed record PlannedBuild(BuildPlan Plan)
{
    /// <summary>--target: build only this stage (ContainerRunTests exports `test-results` first).</summary>
    public string? Target { get; init; }

    /// <summary>Export the target's files into this folder (`--output type=local`) instead of pushing, loading or archiving.</summary>
    public string? LocalOutput { get; init; }

    /// <summary>Where the context's uniquely named link goes (<see cref="ContextLink"/>); null: Stevedore's own temp folder.</summary>
    public string? ContextLinkFolder { get; init; }

    /// <summary>Clamp layer file times to the epoch: the builder's driver can (not the docker driver).</summary>
    public bool RewriteTimestamps { get; init; }

    /// <summary>The builder's driver (preflight's): the docker driver cannot push by digest, nor reach another engine but by context.</summary>
    public string? BuilderDriver { get; init; }

    /// <summary>A bake target: bake runs on the solution's builder, which pushes by digest itself.</summary>
    public bool InBake { get; init; }

    public bool Exports => !string.IsNullOrWhiteSpace(LocalOutput);

    public IReadOnlyList<string> Tags => Exports ? [] : Plan.Images;

    public bool Push => !Exports && Plan.Push;

    public string? ArchiveOutputPath => Exports ? null : Plan.ArchivePath;

    public bool PushByDigest => !Exports && Plan.PushByDigest;

    public string? DigestFile => Exports ? null : Plan.DigestFile;

    public string? CommandLineFile => Exports ? Plan.Files.TestCommandLine : Plan.Files.CommandLine;

    /// <summary>The cache exports: none for the test stage's export.</summary>
    public IReadOnlyList<Caching.CacheSpec> CacheTo => Exports ? [] : Plan.CacheTo;

    /// <summary>The repository a push by digest goes to: the plan's, or the first reference's without its tag.</summary>
    public string? Repository => !string.IsNullOrWhiteSpace(Plan.Repository) ? Plan.Repository
        : PushByDigest && Tags.Count > 0 ? (Images.ImageReference.Parse(Tags[0], "ContainerRepository") with { Tag = null, Digest = null }).ToString()
        : null;

    /// <summary>The archive a push by digest goes through on the docker driver (null elsewhere: buildx pushes by digest itself).</summary>
    public string? DigestArchive =>
        PushByDigest && BuilderDriver == "docker" && !InBake ? PushedDigest.ArchiveNextTo(Plan.Files.Metadata ?? Plan.Dockerfile) : null;

    /// <summary>The exact argument list.</summary>
    public BuildxCommand Command() => new()
    {
        // The test stage runs on the build machine's platform only; the image on the plan's platforms.
        Platforms = Exports ? [ContainerPlatform.Host()] : Plan.Platforms,
        DockerfilePath = Plan.Dockerfile,
        ContextPath = ContextLink.For(Plan.Context, ContextLinkFolder),
        Tags = Tags,
        Target = string.IsNullOrWhiteSpace(Target) ? null : Target,
        LocalOutput = Exports ? LocalOutput : null,
        OciMediaTypes = Exports ? null : ImageFormat.OciMediaTypes(Plan.ImageFormat),
        CacheFrom = Plan.CacheFromArguments,
        CacheTo = Exports ? [] : [.. Plan.CacheToArguments],
        Secrets = [.. Plan.Secrets.Select(s => $"id={s.Id},src={s.Source}")],
        Builder = string.IsNullOrWhiteSpace(Plan.Builder) || IsOtherDockerContext ? null : Plan.Builder,
        DockerContext = IsOtherDockerContext ? Plan.Builder : null,
        Network = Plan.Network,
        MetadataFile = string.IsNullOrWhiteSpace(Plan.Files.Metadata) ? null : Plan.Files.Metadata,
        Progress = string.IsNullOrWhiteSpace(Plan.Progress) ? "plain" : Plan.Progress,
        Provenance = Attestations.Provenance(Exports ? null : Plan.Provenance),
        Sbom = Attestations.Sbom(Exports ? null : Plan.Sbom),
        SourceDateEpoch = Exports ? null : Plan.SourceDateEpoch,
        RewriteTimestamps = RewriteTimestamps,
        PushByDigest = PushByDigest && DigestArchive is null,
        Push = Push && DigestArchive is null,
        ArchivePath = DigestArchive ?? (string.IsNullOrWhiteSpace(ArchiveOutputPath) ? null : ArchiveOutputPath),
        Repository = Repository,
    };

    // A builder of the docker driver other than the current context's is a docker context of another engine.
    private bool IsOtherDockerContext => BuilderDriver == "docker" && !string.IsNullOrWhiteSpace(Plan.Builder) && Plan.Builder != "default";
}
