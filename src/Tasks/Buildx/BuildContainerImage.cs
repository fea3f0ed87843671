using System.Text.Json;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Plan;
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
    /// <summary>
    /// The project's build plan (StevedoreBuildPlan, WriteBuildPlan): platforms, Dockerfile, context, tags, output,
    /// caches, secrets, attestations and the build's files all come from it.
    /// </summary>
    public ITaskItem? Plan { get; set; }

    /// <summary>Seam: the plan itself, so tests build one in memory; otherwise read from <see cref="Plan"/>.</summary>
    internal BuildPlan? Model { get; set; }

    /// <summary>Where the context's uniquely named link goes (<see cref="ContextLink"/>); empty: a folder of Stevedore's own in the temp folder.</summary>
    public string? ContextLinkFolder { get; set; }

    /// <summary>--target: build only this stage (ContainerRunTests exports `test-results` first).</summary>
    public string? Target { get; set; }

    /// <summary>Export the target's files into this folder (`--output type=local`) instead of pushing, loading or archiving.</summary>
    public string? LocalOutput { get; set; }

    /// <summary>
    /// ContainerRegistryRetries: how many more times the whole build runs when BuildKit gave up on a transient registry
    /// fault (5xx, 408, 429, a reset or timed-out connection); 0 turns retrying off. Permanent faults are never retried.
    /// </summary>
    public int RegistryRetries { get; set; } = BuildRetry.DefaultRetries;

    /// <summary>Only log (and write to the plan's command-line file) the command; do not run it (ContainerBuild=false).</summary>
    public bool DryRun { get; set; }

    /// <summary>Clamp layer file times to the epoch: the builder's driver can (not the docker driver).</summary>
    public bool RewriteTimestamps { get; set; }

    /// <summary>
    /// The builder's driver (preflight's). On the docker driver, which cannot push by digest, a push by digest exports
    /// an OCI archive next to the metadata file and Stevedore pushes it by digest itself (<see cref="Images.ArchivePush"/>).
    /// </summary>
    public string? BuilderDriver { get; set; }

    /// <summary>
    /// A solution's bake (ContainerBake): write this project's bake target here instead of running buildx; the
    /// solution runs one `docker buildx bake` for every project (BakeContainerImages).
    /// </summary>
    public string? BakeTargetFile { get; set; }

    // The plan's parts the run reads; a test-stage export (LocalOutput) makes no image: no tags, push, archive or cache export.
    private BuildPlan Current => Model ??= BuildPlanFile.Read(Plan?.ItemSpec ?? throw new InvalidOperationException("BuildContainerImage needs its Plan."));

    private bool Exports => !string.IsNullOrWhiteSpace(LocalOutput);

    internal string Dockerfile => Current.Dockerfile;

    internal string ContextDirectory => Current.Context;

    internal IReadOnlyList<string> Tags => Exports ? [] : Current.Images;

    internal bool Push => !Exports && Current.Push;

    internal string? ArchiveOutputPath => Exports ? null : Current.ArchivePath;

    internal string[] CacheTo => Exports ? [] : [.. Current.CacheToArguments];

    internal string? Builder => Current.Builder;

    internal string? MetadataFile => Current.Files.Metadata;

    internal string Progress => Current.Progress;

    internal string? ProgressFile => Current.Files.Progress;

    internal bool PushByDigest => !Exports && Current.PushByDigest;

    internal string? Repository => Current.Repository;

    internal string? DigestFile => Exports ? null : Current.DigestFile;

    internal string? ProjectName => Current.Project;

    internal string? CommandLineFile => Exports ? Current.Files.TestCommandLine : Current.Files.CommandLine;

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
        // The test stage runs on the build machine's platform only; the image on the plan's platforms.
        Platforms = Exports ? [ContainerPlatform.Host()] : Current.Platforms,
        DockerfilePath = Dockerfile,
        ContextPath = ContextLink.For(ContextDirectory, ContextLinkFolder),
        Tags = Tags,
        Target = string.IsNullOrWhiteSpace(Target) ? null : Target,
        LocalOutput = string.IsNullOrWhiteSpace(LocalOutput) ? null : LocalOutput,
        OciMediaTypes = Exports ? null : Buildx.ImageFormat.OciMediaTypes(Current.ImageFormat),
        CacheFrom = Current.CacheFromArguments,
        CacheTo = CacheTo,
        Secrets = [.. Current.Secrets.Select(s => $"id={s.Id},src={s.Source}")],
        Builder = string.IsNullOrWhiteSpace(Builder) || IsOtherDockerContext ? null : Builder,
        DockerContext = IsOtherDockerContext ? Builder : null,
        Network = Current.Network,
        MetadataFile = string.IsNullOrWhiteSpace(MetadataFile) ? null : MetadataFile,
        Progress = string.IsNullOrWhiteSpace(Progress) ? "plain" : Progress,
        Provenance = Attestations.Provenance(Exports ? null : Current.Provenance),
        Sbom = Attestations.Sbom(Exports ? null : Current.Sbom),
        SourceDateEpoch = Exports ? null : Current.SourceDateEpoch,
        RewriteTimestamps = RewriteTimestamps,
        PushByDigest = PushByDigest && DigestArchive is null,
        Push = Push && DigestArchive is null,
        ArchivePath = DigestArchive ?? (string.IsNullOrWhiteSpace(ArchiveOutputPath) ? null : ArchiveOutputPath),
        Repository = !string.IsNullOrWhiteSpace(Repository) ? Repository
            : PushByDigest && Tags.Count > 0 ? (Images.ImageReference.Parse(Tags[0], "ContainerRepository") with { Tag = null, Digest = null }).ToString()
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
