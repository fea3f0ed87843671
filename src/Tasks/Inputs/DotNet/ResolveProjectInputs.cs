using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>
/// Evaluates the project and its ProjectReference closure with MSBuild's static graph and finds exactly what its
/// container build reads (see <see cref="ProjectInputs"/>): the restore inputs, the source inputs and the build context.
/// </summary>
public sealed class ResolveProjectInputs : Diagnostics.StevedoreTask
{
    /// <summary>The project being published.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>Full path of the build context root (no trailing separator).</summary>
    [Output]
    public string ContextRoot { get; private set; } = string.Empty;

    /// <summary>The project relative to <see cref="ContextRoot"/>, forward-slashed.</summary>
    [Output]
    public string ProjectRelativePath { get; private set; } = string.Empty;

    /// <summary>Restore inputs in COPY order; metadata Kind and RelativePath (forward-slashed, folders end in '/').</summary>
    [Output]
    public ITaskItem[] RestoreInputs { get; private set; } = [];

    /// <summary>Source inputs in COPY order: the closure's folders (RelativePath ends in '/') and files from outside them.</summary>
    [Output]
    public ITaskItem[] SourceInputs { get; private set; } = [];

    protected override void Run()
    {
        // The evaluation sees what this build sees: the same global properties (Configuration, -p: values).
        var globals = (BuildEngine as IBuildEngine6)?.GetGlobalProperties() is { } properties
            ? new Dictionary<string, string>(properties, StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var closure = ProjectGraphReader.Read(ProjectFile, globals);
        var inputs = ProjectInputs.Compute(ProjectFile, closure);
        foreach (var (feed, config) in inputs.UnreachableFeeds)
        {
            Log.LogWarningWithCodeFromResources("FeedOutsideContext", feed, config);
        }

        ContextRoot = inputs.ContextRoot;
        ProjectRelativePath = inputs.ProjectRelativePath;
        RestoreInputs = inputs.RestoreInputs.Select(i => Item(i.FullPath, i.RelativePath, i.Kind.ToString())).ToArray();
        SourceInputs = inputs.SourceFolders.Concat(inputs.SourceFiles)
            .Select(r => Item(Path.Combine(inputs.ContextRoot, r), r, r.EndsWith('/') ? "Folder" : "File"))
            .ToArray();
        Log.LogMessage(MessageImportance.Low, "Stevedore: {0} restore inputs, {1} source inputs from {2} projects; context {3}",
            RestoreInputs.Length, SourceInputs.Length, closure.Count, ContextRoot);
    }

    private static ITaskItem Item(string fullPath, string relativePath, string kind)
    {
        var item = new TaskItem(fullPath);
        item.SetMetadata("Kind", kind);
        item.SetMetadata("RelativePath", relativePath);
        return item;
    }
}
