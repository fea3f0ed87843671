using Microsoft.Build.Framework;

namespace Stevedore.Tasks.Inputs;

/// <summary>
/// ContainerSourceDateEpoch's default: the time of the last commit that touched the image's inputs
/// (<see cref="LastInputCommit"/>), so an image whose inputs no commit changed keeps its creation time and digest.
/// </summary>
public sealed class ResolveSourceDateEpoch : Diagnostics.StevedoreTask
{
    /// <summary>The project's folder: the repository is the one holding it.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The files and folders the image is built from (full paths; folders may end in '/').</summary>
    public ITaskItem[] Inputs { get; set; } = [];

    /// <summary>Unix seconds, or empty outside a git repository, without git or before the first commit.</summary>
    [Output]
    public string SourceDateEpoch { get; private set; } = string.Empty;

    protected override void Run()
    {
        SourceDateEpoch = LastInputCommit.Time(ProjectDirectory, Inputs.Select(i => i.ItemSpec)) ?? string.Empty;
        Log.LogMessage(MessageImportance.Low, "Stevedore: source date epoch '{0}' from the last commit touching {1} inputs", SourceDateEpoch, Inputs.Length);
    }
}
