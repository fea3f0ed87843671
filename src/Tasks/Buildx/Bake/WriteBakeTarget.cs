using System.Text.Json;
using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Plan;

namespace Stevedore.Tasks.Buildx.Bake;

/// <summary>
/// A project's part of a solution's bake (ContainerBake): the buildx command its plan makes, written as its bake target
/// (bake-target.json) instead of run; the solution runs one `docker buildx bake` for every project (<see cref="BakeContainerImages"/>).
/// </summary>
public sealed class WriteBakeTarget : PlanTask
{
    /// <summary>Where the bake target goes.</summary>
    [Required]
    public string BakeTargetFile { get; set; } = string.Empty;

    /// <summary>Clamp layer file times to the epoch (the bake's builder can).</summary>
    public bool RewriteTimestamps { get; set; }

    /// <summary>The command line the target stands for, written to the plan's command-line file too.</summary>
    [Output]
    public string CommandLine { get; private set; } = string.Empty;

    protected override void Run()
    {
        var planned = new PlannedBuild(Current) { RewriteTimestamps = RewriteTimestamps, InBake = true };
        var command = planned.Command();
        CommandLine = "docker " + command.ToCommandLine();
        if (planned.CommandLineFile is { } commandLineFile)
        {
            Files.AtomicFile.Write(commandLineFile, CommandLine + "\n");
        }

        var target = BakeTarget.From(planned.Plan.Project, command, planned.DigestFile);
        Files.AtomicFile.Write(BakeTargetFile, target.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Log.LogMessage(MessageImportance.Normal, "Stevedore: bake target {0}", BakeTargetFile);
    }
}
