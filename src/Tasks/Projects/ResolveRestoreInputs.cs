using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Projects;

/// <summary>Finds the files restore reads and the build context root that holds them (see <see cref="RestoreInputs"/>).</summary>
public sealed class ResolveRestoreInputs : StevedoreTask
{
    /// <summary>The project being published.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>project.assets.json of the project; NuGet recorded the ProjectReference closure there.</summary>
    [Required]
    public string ProjectAssetsFile { get; set; } = string.Empty;

    /// <summary>Full path of the build context root (no trailing separator).</summary>
    [Output]
    public string ContextRoot { get; private set; } = string.Empty;

    /// <summary>The project relative to <see cref="ContextRoot"/>, forward-slashed.</summary>
    [Output]
    public string ProjectRelativePath { get; private set; } = string.Empty;

    /// <summary>Restore inputs in COPY order; metadata Kind and RelativePath (forward-slashed, folders end in '/').</summary>
    [Output]
    public ITaskItem[] RestoreInputs { get; private set; } = [];

    protected override void Run()
    {
        var closure = Projects.RestoreInputs.ReadProjectClosure(ProjectFile, ProjectAssetsFile);
        var inputs = Projects.RestoreInputs.Compute(ProjectFile, closure);
        foreach (var (feed, config) in inputs.UnreachableFeeds)
        {
            Log.LogWarningWithCodeFromResources("FeedOutsideContext", feed, config);
        }

        ContextRoot = inputs.ContextRoot;
        ProjectRelativePath = inputs.ProjectRelativePath;
        RestoreInputs = inputs.Inputs.Select(i =>
        {
            var item = new TaskItem(i.FullPath);
            item.SetMetadata("Kind", i.Kind.ToString());
            item.SetMetadata("RelativePath", i.RelativePath);
            return (ITaskItem)item;
        }).ToArray();
    }
}
