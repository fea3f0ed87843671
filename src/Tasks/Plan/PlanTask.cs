using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Plan;

/// <summary>A task of the phases after the plan (Preflight, Build, Report, …): it reads the project's build plan and nothing else of its options.</summary>
public abstract class PlanTask : StevedoreTask
{
    /// <summary>The project's build plan (StevedoreBuildPlan, written by WriteBuildPlan).</summary>
    public ITaskItem? Plan { get; set; }

    /// <summary>Seam: the plan itself, so tests build one in memory (and a bake passes the one it read); otherwise read from <see cref="Plan"/>.</summary>
    internal BuildPlan? Model { get; set; }

    /// <summary>The plan, read once.</summary>
    private protected BuildPlan Current => Model ??= BuildPlanFile.ReadItem(Plan, GetType().Name);
}
