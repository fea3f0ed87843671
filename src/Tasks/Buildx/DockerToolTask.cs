using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// A long-running docker CLI command (buildx build, buildx bake): the docker on PATH (STV2004 when missing), every
/// output line at high importance (build progress is what the user waits for), Ctrl+C stops it.
/// </summary>
public abstract class DockerToolTask : ToolTask, ICancelableTask
{
    protected DockerToolTask()
        : base(Strings.Manager)
    {
    }

    protected override string ToolName => "docker";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

    protected override string GenerateFullPathToTool() => new Engine.DockerCli().Find() ?? ToolExe;

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
}
