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

    private BuildPlan Current => Model ??= BuildPlanFile.ReadItem(Plan, nameof(BuildContainerImage));

    /// <summary>This run of the plan (the image, or the test stage's export); internal so tests read what it does.</summary>
    internal PlannedBuild Planned => new(Current)
    {
        Target = Target,
        LocalOutput = LocalOutput,
        ContextLinkFolder = ContextLinkFolder,
        RewriteTimestamps = RewriteTimestamps,
        BuilderDriver = BuilderDriver,
    };

    internal string? DigestFile => Planned.DigestFile;

    internal string? CommandLineFile => Planned.CommandLineFile;

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
        if (!File.Exists(Current.Dockerfile))
        {
            Log.LogErrorWithCodeFromResources("DockerfileNotFound", Current.Dockerfile);
            return false;
        }

        if (!string.IsNullOrEmpty(CommandLineFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(CommandLineFile))!);
            File.WriteAllText(CommandLineFile, CommandLine + "\n");
        }

        if (DryRun)
        {
            Log.LogMessage(MessageImportance.High, "Stevedore: ContainerBuild=false, not running: {0}", CommandLine);
            return true;
        }

        foreach (var cache in CacheRegistryCheck.StrictRegistryCaches(Planned.CacheTo))
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

        var buildx = new BuildxRunner(Log, [Current.Context], Canceled)
        {
            NewProgress = IsRawJson ? () => new BuildProgress() : null,
            ProgressFile = string.IsNullOrEmpty(Current.Files.Progress) ? null : Current.Files.Progress,
            MetadataFile = Current.Files.Metadata,
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
    internal BuildxCommand GetCommand() => Planned.Command();

    protected override string GenerateCommandLineCommands() => GetCommand().ToCommandLine();

    // "Api -> image", the line a publish prints for its output: the terminal logger shows it as the project's result
    // ("Api succeeded (84.2s) → image"), the console logger as is. Not for the test stage, which makes no image, nor
    // a push by digest, whose image is named once pushed (PushImageByDigest).
    private void LogPublished()
    {
        var planned = Planned;
        var image = planned.ArchiveOutputPath is { } archive ? Path.GetFullPath(archive)
            : planned.PushByDigest ? string.Empty
            : string.Join(", ", planned.Tags);
        if (!planned.Exports && image.Length > 0)
        {
            Log.LogMessage(MessageImportance.High, "{0} -> {1}", Current.Project, image);
        }
    }

    private bool IsRawJson => string.Equals(Current.Progress, "rawjson", StringComparison.Ordinal);

    private void ReadDigest()
    {
        if (Current.Files.Metadata is not { Length: > 0 } metadataFile)
        {
            return;
        }

        try
        {
            ContainerDigest = BuildMetadata.Read(metadataFile).Digest ?? string.Empty;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            Log.LogErrorWithCodeFromResources("MetadataUnreadable", metadataFile, e.Message);
        }
    }
}
