using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// A long-running docker CLI command (buildx build, buildx bake): the docker on PATH (STV2004 when missing), run through
/// a <see cref="BuildxRunner"/> (progress, retries, the failure's one error); Ctrl+C stops it and any further attempt.
/// </summary>
public abstract class DockerToolTask : ToolTask, ICancelableTask
{
    private readonly CancellationTokenSource canceled = new();
    private BuildxRunner? runner;

    protected DockerToolTask()
        : base(Strings.Manager)
    {
    }

    /// <summary>Waits between attempts; false when cancelled meanwhile. Tests replace it so they do not sleep.</summary>
    internal Func<TimeSpan, CancellationToken, bool> Wait { get; set; } = BuildxRunner.WaitOrCancel;

    /// <summary>Set once the user cancelled (Ctrl+C).</summary>
    private protected CancellationToken Canceled => canceled.Token;

    protected override string ToolName => "docker";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

    protected override string GenerateFullPathToTool() => new Engine.DockerCli().Find() ?? ToolExe;

    /// <summary>Stops buildx (Ctrl+C), and a wait between attempts.</summary>
    public override void Cancel()
    {
        canceled.Cancel();
        base.Cancel();
    }

    /// <summary>Runs the command line through <paramref name="buildx"/>: attempts until one succeeds or none may follow.</summary>
    private protected bool Run(BuildxRunner buildx)
    {
        runner = buildx;
        try
        {
            return buildx.Run(base.Execute);
        }
        finally
        {
            runner = null;
        }
    }

    protected override bool ValidateParameters()
    {
        var path = string.IsNullOrEmpty(ToolPath) ? GenerateFullPathToTool() : Path.Combine(ToolPath, ToolExe);
        if (!File.Exists(path))
        {
            Log.LogErrorWithCodeFromResources("DockerNotFound", path);
            return false;
        }

        return true;
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (runner is null)
        {
            base.LogEventsFromTextOutput(singleLine, messageImportance);
            return;
        }

        runner.Line(singleLine);
    }

    // The runner decides after the attempt whether it failed for good, and logs the one error that says why.
    protected override bool HandleTaskExecutionErrors()
    {
        runner?.Exited(ExitCode);
        return false;
    }
}
