using System.Text.Json;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Plan;
using Stevedore.Tasks.Platforms;
using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// Runs `docker buildx build` (see <see cref="BuildxCommand"/>), streaming its progress into the MSBuild log as
/// it arrives. Cancelling the build (Ctrl+C) kills the buildx process tree. Reads --metadata-file for the digest.
/// When BuildKit gives up on a transient registry fault, the build runs again (see <see cref="BuildRetry"/>).
/// </summary>
public sealed class BuildContainerImage : DockerToolTask
{
    private readonly CancellationTokenSource canceled = new();
    private readonly List<string> attemptOutput = [];
    private BuildProgress progress = new();
    private BuildxFailure? failure;
    private RetryDecision? pendingRetry;
    private int attempt;
    private StreamWriter? progressFile;
    private StepDiagnosticLog? stepDiagnostics;

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
            CommandLine = "docker " + GetCommand().ToCommandLine();
        }
        catch (DiagnosticException e)
        {
            Log.LogErrorWithCodeFromResources(e.ResourceName, e.Arguments);
            return false;
        }

        if (!File.Exists(Dockerfile))
        {
            Log.LogErrorWithCodeFromResources("DockerfileNotFound", Dockerfile);
            return false;
        }

        if (PushByDigest && (!Push || !string.IsNullOrWhiteSpace(ArchiveOutputPath)))
        {
            Log.LogErrorWithCodeFromResources("PushByDigestNeedsRegistry");
            return false;
        }

        if (!string.IsNullOrEmpty(CommandLineFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(CommandLineFile))!);
            File.WriteAllText(CommandLineFile, CommandLine + "\n");
        }

        if (!string.IsNullOrEmpty(BakeTargetFile))
        {
            try
            {
                var target = Bake.BakeTarget.From(ProjectName ?? Path.GetFileNameWithoutExtension(Dockerfile), GetCommand(), DigestFile);
                Files.AtomicFile.Write(BakeTargetFile, target.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
                Log.LogMessage(MessageImportance.Normal, "Stevedore: bake target {0}", BakeTargetFile);
                return true;
            }
            catch (DiagnosticException e)
            {
                Log.LogErrorWithCodeFromResources(e.ResourceName, e.Arguments);
                return false;
            }
        }

        if (DryRun)
        {
            Log.LogMessage(MessageImportance.High, "Stevedore: ContainerBuild=false, not running: {0}", CommandLine);
            return true;
        }

        try
        {
            foreach (var cache in CacheRegistryCheck.StrictRegistryCaches(Split(CacheTo)))
            {
                CacheRegistryCheck.Require(
                    cache,
                    Math.Max(0, RegistryRetries),
                    ProbeCache,
                    delay => Wait(delay, canceled.Token),
                    (fault, next, delay) => Log.LogWarningWithCodeFromResources(
                        "RegistryFaultRetrying", fault.Registry, fault.Status, fault.Operation, next, RegistryRetries + 1, delay.TotalSeconds));
            }
        }
        catch (DiagnosticException e)
        {
            Log.LogErrorWithCodeFromResources(e.ResourceName, e.Arguments);
            return false;
        }

        if (canceled.IsCancellationRequested)
        {
            return false;
        }

        stepDiagnostics = new StepDiagnosticLog(Log, [ContextDirectory]);
        for (attempt = 1; ; attempt++)
        {
            if (RunAttempt())
            {
                ReadDigest();
                WriteDigestFile();
                LogPublished();
                return !Log.HasLoggedErrors;
            }

            if (pendingRetry is not { } retry)
            {
                return false;
            }

            // Each attempt is logged with the fault that ended the one before it.
            BuildRetry.LogRetry(Log, retry, attempt + 1, RegistryRetries + 1);
            if (!Wait(retry.Delay, canceled.Token))
            {
                return false;
            }
        }
    }

    /// <summary>Stops buildx (Ctrl+C), and a wait between attempts.</summary>
    public override void Cancel()
    {
        canceled.Cancel();
        base.Cancel();
    }

    /// <summary>Asks a strict registry cache whether it accepts an upload (<see cref="CacheRegistryCheck.Ask"/>); tests replace it.</summary>
    internal Func<string, RegistryFault?> ProbeCache { get; set; } = CacheRegistryCheck.Ask;

    /// <summary>Waits between attempts; false when the build was cancelled meanwhile. Tests replace it so they do not sleep.</summary>
    internal Func<TimeSpan, CancellationToken, bool> Wait { get; set; } = (delay, cancel) => !cancel.WaitHandle.WaitOne(delay);

    // One run of buildx, with fresh per-attempt state: the report and the digest describe the attempt that finished.
    private bool RunAttempt()
    {
        failure = null;
        pendingRetry = null;
        attemptOutput.Clear();
        progress = new BuildProgress();
        if (!string.IsNullOrEmpty(MetadataFile))
        {
            // A stale file from an earlier build must not report the wrong digest.
            if (File.Exists(MetadataFile))
            {
                File.Delete(MetadataFile);
            }
        }

        if (IsRawJson && !string.IsNullOrEmpty(ProgressFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(ProgressFile))!);
            progressFile = new StreamWriter(ProgressFile);
        }

        try
        {
            return base.Execute();
        }
        finally
        {
            progressFile?.Dispose();
            progressFile = null;
        }
    }

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

    // Every line, as it arrives, at high importance: build progress is what the user waits for. rawjson is
    // turned back into plain-progress lines (`#7 [linux/arm64 build 3/9] RUN …` / `#7 CACHED`) per finished step.
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        failure ??= BuildxFailure.Classify(singleLine);
        if (BuildRetry.Reads(singleLine))
        {
            attemptOutput.Add(singleLine);
        }

        if (!IsRawJson)
        {
            Log.LogMessage(MessageImportance.High, "{0}", singleLine);
            return;
        }

        progressFile?.WriteLine(singleLine);
        foreach (var line in progress.Add(singleLine))
        {
            Log.LogMessage(MessageImportance.High, "{0}", line);
        }

        stepDiagnostics?.Log(progress.TakeFinished());
    }

    // "Api -> image", the line a publish prints for its output: the terminal logger shows it as the project's result
    // ("Api succeeded (84.2s) → image"), the console logger as is. Not for the test stage, which makes no image.
    private void LogPublished()
    {
        var image = !string.IsNullOrWhiteSpace(ArchiveOutputPath) ? Path.GetFullPath(ArchiveOutputPath)
            : PushByDigest && ContainerDigest.Length > 0 ? GetCommand().Repository + "@" + ContainerDigest
            : string.Join(", ", Tags);
        if (!string.IsNullOrEmpty(ProjectName) && string.IsNullOrEmpty(LocalOutput) && image.Length > 0)
        {
            Log.LogMessage(MessageImportance.High, "{0} -> {1}", ProjectName, image);
        }
    }

    protected override bool HandleTaskExecutionErrors()
    {
        var decision = BuildRetry.Decide(attemptOutput, attempt, Math.Max(0, RegistryRetries));
        if (failure is { } known)
        {
            // Refused credentials and a lost engine are not the registry's passing trouble: never retried.
            Log.LogErrorWithCodeFromResources(known.ResourceName, known.Arguments);
        }
        else if (canceled.IsCancellationRequested)
        {
            Log.LogErrorWithCodeFromResources("BuildxFailed", ExitCode);
        }
        else if (decision.Retry)
        {
            pendingRetry = decision;
        }
        else if (decision.Fault is { IsTransient: true } persisted)
        {
            Log.LogErrorWithCodeFromResources("RegistryFaultPersisted", persisted.Registry, persisted.Status, persisted.Operation, attempt);
        }
        else if (decision.Fault is { } rejected)
        {
            Log.LogErrorWithCodeFromResources("RegistryRequestRejected", rejected.Registry, rejected.Status, rejected.Operation);
        }
        else
        {
            Log.LogErrorWithCodeFromResources("BuildxFailed", ExitCode);
        }

        return false;
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
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(MetadataFile ?? Dockerfile))!, "push-by-digest.oci.tar")
            : null;

    private void WriteDigestFile()
    {
        if (DigestArchive is { } archive && File.Exists(archive))
        {
            try
            {
                using var push = new Images.ArchivePush();
                ContainerDigest = push.Push(archive, GetCommand().Repository!);
                File.Delete(archive);
            }
            catch (DiagnosticException e)
            {
                Log.LogErrorWithCodeFromResources(e.ResourceName, e.Arguments);
                return;
            }
        }

        if (PushByDigest && !string.IsNullOrEmpty(DigestFile) && ContainerDigest.Length > 0)
        {
            PushedDigest.Write(DigestFile, GetCommand().Repository!, ContainerDigest);
            Log.LogMessage(MessageImportance.High, "Stevedore: pushed {0}@{1} by digest; digest file {2}", GetCommand().Repository, ContainerDigest, DigestFile);
        }
    }

    // Items may hold ';' lists when a property was turned into items; keep each spec whole otherwise.
    private static string[] Split(string[] values) => [.. Msbuild.PropertyList.Split(values)];
}
