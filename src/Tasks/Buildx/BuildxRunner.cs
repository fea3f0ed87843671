using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// Runs one buildx command (a build or a bake) to its end, for <see cref="BuildContainerImage"/> and
/// <see cref="Bake.BakeContainerImages"/> alike: every output line into the log as it arrives (plain as is; rawjson
/// turned back into step lines and kept in the progress file), finished steps' diagnostics (<see cref="StepDiagnosticLog"/>),
/// the failure recognised (<see cref="BuildxFailure"/>), and the whole command again after a transient registry fault or
/// an engine race (<see cref="BuildRetry"/>) until the retries are spent or the user cancels.
/// </summary>
internal sealed class BuildxRunner(TaskLoggingHelper log, IReadOnlyList<string> contexts, CancellationToken canceled)
{
    private readonly List<string> output = [];
    private readonly StepDiagnosticLog diagnostics = new(log, contexts);
    private StreamWriter? progressFile;
    private int retries = BuildRetry.DefaultRetries;

    /// <summary>A fresh progress for each attempt (the report describes the attempt that finished); null: plain output, logged as is.</summary>
    public Func<IBuildxProgress>? NewProgress { get; init; }

    /// <summary>Where each attempt's rawjson output is kept for the report (with <see cref="NewProgress"/> only).</summary>
    public string? ProgressFile { get; init; }

    /// <summary>The command's --metadata-file, removed before each attempt: a stale one must not report an earlier run's digests.</summary>
    public string? MetadataFile { get; init; }

    /// <summary>ContainerRegistryRetries: attempts after the first; 0 turns retrying off.</summary>
    public int Retries { get => retries; init => retries = Math.Max(0, value); }

    /// <summary>Waits between attempts; false when cancelled meanwhile. Tests replace it so they do not sleep.</summary>
    public Func<TimeSpan, CancellationToken, bool> Wait { get; init; } = WaitOrCancel;

    /// <summary>The progress of the current (or last) attempt.</summary>
    public IBuildxProgress? Progress { get; private set; }

    /// <summary>The attempt running, or the last one.</summary>
    public int Attempt { get; private set; }

    /// <summary>The last attempt's exit code; null when the process never ran (docker missing).</summary>
    public int? ExitCode { get; private set; }

    /// <summary>What the last failed attempt's output says about retrying.</summary>
    public RetryDecision? Decision { get; private set; }

    /// <summary>A failure the last attempt's output named (refused credentials, a lost engine): never retried.</summary>
    public BuildxFailure? Failure { get; private set; }

    /// <summary>Sleeps <paramref name="delay"/> unless cancelled first.</summary>
    public static bool WaitOrCancel(TimeSpan delay, CancellationToken cancel) => !cancel.WaitHandle.WaitOne(delay);

    /// <summary>Runs <paramref name="attempt"/> (one buildx process, true when it succeeded) until it succeeds or may not run again.</summary>
    public bool Run(Func<bool> attempt)
    {
        for (Attempt = 1; ; Attempt++)
        {
            Failure = null;
            Decision = null;
            ExitCode = null;
            output.Clear();
            if (!string.IsNullOrEmpty(MetadataFile) && File.Exists(MetadataFile))
            {
                File.Delete(MetadataFile);
            }

            Progress = NewProgress?.Invoke();
            if (Progress is not null && !string.IsNullOrEmpty(ProgressFile))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(ProgressFile))!);
                progressFile = new StreamWriter(ProgressFile);
            }

            bool succeeded;
            try
            {
                succeeded = attempt();
            }
            finally
            {
                progressFile?.Dispose();
                progressFile = null;
            }

            if (succeeded)
            {
                return true;
            }

            // Refused credentials and a lost engine are not the registry's passing trouble: never retried.
            Decision = BuildRetry.Decide(output, Attempt, Retries);
            if (ExitCode is null || Failure is not null || canceled.IsCancellationRequested || !Decision.Retry)
            {
                return false;
            }

            // Each attempt is logged with the fault that ended the one before it.
            BuildRetry.LogRetry(log, Decision, Attempt + 1, Retries + 1);
            if (!Wait(Decision.Delay, canceled))
            {
                return false;
            }
        }
    }

    /// <summary>One line of buildx's output, as it arrives.</summary>
    public void Line(string line)
    {
        Failure ??= BuildxFailure.Classify(line);
        if (BuildRetry.Reads(line))
        {
            output.Add(line);
        }

        if (Progress is null)
        {
            log.LogMessage(MessageImportance.High, "{0}", line);
            return;
        }

        progressFile?.WriteLine(line);
        foreach (var step in Progress.Add(line))
        {
            log.LogMessage(MessageImportance.High, "{0}", step);
        }

        diagnostics.Log(Progress.TakeFinished());
    }

    /// <summary>The process of the current attempt exited with <paramref name="exitCode"/> (not 0).</summary>
    public void Exited(int exitCode) => ExitCode = exitCode;

    /// <summary>The one error that says why the run failed: the named failure, the registry's fault, or buildx's exit code.</summary>
    public void LogFailure()
    {
        if (ExitCode is not { } exitCode)
        {
            return; // the process never ran: its reason is logged already
        }

        if (Failure is { } known)
        {
            log.LogErrorWithCodeFromResources(known.ResourceName, known.Arguments);
        }
        else if (!canceled.IsCancellationRequested && Decision?.Fault is { IsTransient: true } persisted)
        {
            log.LogErrorWithCodeFromResources("RegistryFaultPersisted", persisted.Registry, persisted.Status, persisted.Operation, Attempt);
        }
        else if (!canceled.IsCancellationRequested && Decision?.Fault is { } rejected)
        {
            log.LogErrorWithCodeFromResources("RegistryRequestRejected", rejected.Registry, rejected.Status, rejected.Operation);
        }
        else
        {
            log.LogErrorWithCodeFromResources("BuildxFailed", exitCode);
        }
    }
}
