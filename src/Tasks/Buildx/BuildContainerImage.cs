using System.Text.Json;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Platforms;
using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// Runs `docker buildx build` (see <see cref="BuildxCommand"/>) through a <see cref="BuildxRunner"/>: progress streams
/// into the MSBuild log as it arrives, Ctrl+C kills the buildx process tree, and a transient registry fault runs the
/// build again (see <see cref="BuildRetry"/>). Reads --metadata-file for the digest. A push by digest is finished by
/// <see cref="PushImageByDigest"/>.
/// </summary>
public sealed class BuildContainerImage : DockerToolTask
{
    /// <summary>Comma- or ';'-separated os/arch list.</summary>
    public string? Platforms { get; set; }

    [Required]
    public string Dockerfile { get; set; } = string.Empty;

    /// <summary>The build context root.</summary>
    [Required]
    public string ContextDirectory { get; set; } = string.Empty;

    /// <summary>Where the context's uniquely named link goes (<see cref="ContextLink"/>); empty: a folder of Stevedore's own in the temp folder.</summary>
    public string? ContextLinkFolder { get; set; }

    /// <summary>Full image references, one --tag each.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>Push the image (a registry is set); otherwise load it into the engine.</summary>
    public bool Push { get; set; }

    /// <summary>Write an OCI archive here instead of pushing or loading.</summary>
    public string? ArchiveOutputPath { get; set; }

    /// <summary>--target: build only this stage (ContainerRunTests exports `test-results` first).</summary>
    public string? Target { get; set; }

    /// <summary>Export the target's files into this folder (`--output type=local`) instead of pushing, loading or archiving.</summary>
    public string? LocalOutput { get; set; }
    /// <summary>ContainerImageFormat: Docker or OCI manifest media types (buildx's oci-mediatypes); empty: buildx's default.</summary>
    public string? ImageFormat { get; set; }

    /// <summary>--cache-from specs, passed through unchanged.</summary>
    public string[] CacheFrom { get; set; } = [];

    /// <summary>--cache-to specs, passed through unchanged.</summary>
    public string[] CacheTo { get; set; } = [];

    /// <summary>BuildKit secrets: Include = id, metadata Source = the file buildx reads (GenerateDockerfile's Secrets).</summary>
    public ITaskItem[] Secrets { get; set; } = [];

    /// <summary>--builder.</summary>
    public string? Builder { get; set; }

    /// <summary>--network for RUN steps.</summary>
    public string? Network { get; set; }

    /// <summary>--metadata-file; the digest is read back from it.</summary>
    public string? MetadataFile { get; set; }

    /// <summary>--progress mode.</summary>
    public string Progress { get; set; } = "plain";

    /// <summary>--provenance: true, false, mode=min or mode=max; false (the default) keeps the image index to exactly the platform images.</summary>
    public string? Provenance { get; set; }

    /// <summary>true adds --sbom=true (an SBOM attestation per platform).</summary>
    public string? Sbom { get; set; }

    /// <summary>
    /// ContainerRegistryRetries: how many more times the whole build runs when BuildKit gave up on a transient registry
    /// fault (5xx, 408, 429, a reset or timed-out connection); 0 turns retrying off. Permanent faults are never retried.
    /// </summary>
    public int RegistryRetries { get; set; } = BuildRetry.DefaultRetries;

    /// <summary>Only log (and write to <see cref="CommandLineFile"/>) the command; do not run it (ContainerBuild=false).</summary>
    public bool DryRun { get; set; }

    /// <summary>ContainerSourceDateEpoch (checked by CheckPublishOptions): the image's creation time in Unix seconds.</summary>
    public string? SourceDateEpoch { get; set; }

    /// <summary>Clamp layer file times to the epoch: the builder's driver can (not the docker driver).</summary>
    public bool RewriteTimestamps { get; set; }

    /// <summary>With --progress=rawjson: every output line is kept here for the build report, and one plain line pair per finished step is logged.</summary>
    public string? ProgressFile { get; set; }

    /// <summary>
    /// ContainerPushByDigest: push the image to <see cref="Repository"/> by digest only, moving no tag, and write
    /// `repository@digest` to <see cref="DigestFile"/> for a later merge (ContainerMergeDigests).
    /// </summary>
    public bool PushByDigest { get; set; }

    /// <summary>The repository (registry/name, no tag) a push by digest goes to.</summary>
    public string? Repository { get; set; }

    /// <summary>
    /// The builder's driver (preflight's). On the docker driver, which cannot push by digest, a push by digest exports
    /// an OCI archive next to the metadata file and Stevedore pushes it by digest itself (<see cref="Images.ArchivePush"/>).
    /// </summary>
    public string? BuilderDriver { get; set; }

    /// <summary>With <see cref="PushByDigest"/> in a bake: the digest file the bake target names (<see cref="PushImageByDigest"/> writes it otherwise).</summary>
    public string? DigestFile { get; set; }

    /// <summary>
    /// A solution's bake (ContainerBake): write this project's bake target here instead of running buildx; the
    /// solution runs one `docker buildx bake` for every project (BakeContainerImages).
    /// </summary>
    public string? BakeTargetFile { get; set; }

    /// <summary>The project's name, which the bake target carries into the summary and errors.</summary>
    public string? ProjectName { get; set; }

    /// <summary>When set, the exact command line is written here too (tests and users read it).</summary>
    public string? CommandLineFile { get; set; }

    /// <summary>The command line that runs (or would run).</summary>
    [Output]
    public string CommandLine { get; private set; } = string.Empty;

    /// <summary>containerimage.digest from the metadata file.</summary>
    [Output]
    public string ContainerDigest { get; private set; } = string.Empty;

    public override bool Execute()
    {
        try
        {
            return Build();
        }
        catch (DiagnosticException e)
        {
            Log.LogErrorWithCodeFromResources(e.ResourceName, e.Arguments);
            return false;
        }
    }

    private bool Build()
    {
        CommandLine = "docker " + GetCommand().ToCommandLine();
        if (!File.Exists(Dockerfile))
        {
            Log.LogErrorWithCodeFromResources("DockerfileNotFound", Dockerfile);
            return false;
        }

        if (!string.IsNullOrEmpty(CommandLineFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(CommandLineFile))!);
            File.WriteAllText(CommandLineFile, CommandLine + "\n");
        }

        if (!string.IsNullOrEmpty(BakeTargetFile))
        {
            var target = Bake.BakeTarget.From(ProjectName ?? Path.GetFileNameWithoutExtension(Dockerfile), GetCommand(), DigestFile);
            Files.AtomicFile.Write(BakeTargetFile, target.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Log.LogMessage(MessageImportance.Normal, "Stevedore: bake target {0}", BakeTargetFile);
            return true;
        }

        if (DryRun)
        {
            Log.LogMessage(MessageImportance.High, "Stevedore: ContainerBuild=false, not running: {0}", CommandLine);
            return true;
        }

        foreach (var cache in CacheRegistryCheck.StrictRegistryCaches(Split(CacheTo)))
        {
            CacheRegistryCheck.Require(
                cache,
                Math.Max(0, RegistryRetries),
                ProbeCache,
                delay => Wait(delay, Canceled),
                (fault, next, delay) => Log.LogWarningWithCodeFromResources(
                    "RegistryFaultRetrying", fault.Registry, fault.Status, fault.Operation, next, RegistryRetries + 1, delay.TotalSeconds));
        }

        if (Canceled.IsCancellationRequested)
        {
            return false;
        }

        var buildx = new BuildxRunner(Log, [ContextDirectory], Canceled)
        {
            NewProgress = IsRawJson ? () => new BuildProgress() : null,
            ProgressFile = string.IsNullOrEmpty(ProgressFile) ? null : ProgressFile,
            MetadataFile = MetadataFile,
            Retries = RegistryRetries,
            Wait = Wait,
        };
        if (!Run(buildx))
        {
            buildx.LogFailure();
            return false;
        }

        ReadDigest();
        LogPublished();
        return !Log.HasLoggedErrors;
    }

    /// <summary>Asks a strict registry cache whether it accepts an upload (<see cref="CacheRegistryCheck.Ask"/>); tests replace it.</summary>
    internal Func<string, RegistryFault?> ProbeCache { get; set; } = CacheRegistryCheck.Ask;

    /// <summary>The exact argument list; internal so tests assert it without running docker.</summary>
    internal BuildxCommand GetCommand() => new()
    {
        Platforms = ContainerPlatform.ParseList(Platforms),
        DockerfilePath = Dockerfile,
        ContextPath = ContextLink.For(ContextDirectory, ContextLinkFolder),
        Tags = Tags,
        Target = string.IsNullOrWhiteSpace(Target) ? null : Target,
        LocalOutput = string.IsNullOrWhiteSpace(LocalOutput) ? null : LocalOutput,
        OciMediaTypes = Buildx.ImageFormat.OciMediaTypes(ImageFormat),
        CacheFrom = Split(CacheFrom),
        CacheTo = Split(CacheTo),
        Secrets = Secrets.Select(s => $"id={s.ItemSpec},src={s.GetMetadata("Source")}").ToArray(),
        Builder = string.IsNullOrWhiteSpace(Builder) || IsOtherDockerContext ? null : Builder,
        DockerContext = IsOtherDockerContext ? Builder : null,
        Network = string.IsNullOrWhiteSpace(Network) ? null : Network,
        MetadataFile = string.IsNullOrWhiteSpace(MetadataFile) ? null : MetadataFile,
        Progress = string.IsNullOrWhiteSpace(Progress) ? "plain" : Progress,
        Provenance = Attestations.Provenance(Provenance),
        Sbom = Attestations.Sbom(Sbom),
        SourceDateEpoch = string.IsNullOrWhiteSpace(SourceDateEpoch) ? null : SourceDateEpoch.Trim(),
        RewriteTimestamps = RewriteTimestamps,
        PushByDigest = PushByDigest && DigestArchive is null,
        Push = Push && DigestArchive is null,
        ArchivePath = DigestArchive ?? (string.IsNullOrWhiteSpace(ArchiveOutputPath) ? null : ArchiveOutputPath),
        Repository = !string.IsNullOrWhiteSpace(Repository) ? Repository
            : PushByDigest && Tags.Length > 0 ? (Images.ImageReference.Parse(Tags[0], "ContainerRepository") with { Tag = null, Digest = null }).ToString()
            : null,
    };

    protected override string GenerateCommandLineCommands() => GetCommand().ToCommandLine();

    // "Api -> image", the line a publish prints for its output: the terminal logger shows it as the project's result
    // ("Api succeeded (84.2s) → image"), the console logger as is. Not for the test stage, which makes no image, nor
    // a push by digest, whose image is named once pushed (PushImageByDigest).
    private void LogPublished()
    {
        var image = !string.IsNullOrWhiteSpace(ArchiveOutputPath) ? Path.GetFullPath(ArchiveOutputPath)
            : PushByDigest ? string.Empty
            : string.Join(", ", Tags);
        if (!string.IsNullOrEmpty(ProjectName) && string.IsNullOrEmpty(LocalOutput) && image.Length > 0)
        {
            Log.LogMessage(MessageImportance.High, "{0} -> {1}", ProjectName, image);
        }
    }

    private bool IsRawJson => string.Equals(Progress, "rawjson", StringComparison.Ordinal);

    private void ReadDigest()
    {
        if (string.IsNullOrEmpty(MetadataFile))
        {
            return;
        }

        try
        {
            ContainerDigest = BuildMetadata.Read(MetadataFile).Digest ?? string.Empty;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            Log.LogErrorWithCodeFromResources("MetadataUnreadable", MetadataFile, e.Message);
        }
    }

    // A builder of the docker driver other than the current context's is a docker context of another engine.
    private bool IsOtherDockerContext => BuilderDriver == "docker" && !string.IsNullOrWhiteSpace(Builder) && Builder != "default";

    // The archive a push by digest goes through on the docker driver (null elsewhere: buildx pushes by digest itself).
    private string? DigestArchive =>
        PushByDigest && BuilderDriver == "docker" && string.IsNullOrEmpty(BakeTargetFile)
            ? PushedDigest.ArchiveNextTo(MetadataFile ?? Dockerfile)
            : null;

    // Items may hold ';' lists when a property was turned into items; keep each spec whole otherwise.
    private static string[] Split(string[] values) => [.. Msbuild.PropertyList.Split(values)];
}
