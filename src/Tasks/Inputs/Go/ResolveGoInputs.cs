using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Inputs.Go;

/// <summary>Reads the Go project's go.mod (and go.work): the module files to copy, the build context, the Go version, the main package.</summary>
public sealed class ResolveGoInputs : StevedoreTask
{
    /// <summary>The project file (e.g. api.goproj) next to go.mod.</summary>
    [Required]
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>GoMainPackage; empty means `.` or the single ./cmd/&lt;name&gt;.</summary>
    public string? MainPackage { get; set; }

    /// <summary>Full path of the build context root.</summary>
    [Output]
    public string ContextRoot { get; private set; } = string.Empty;

    /// <summary>The module folder relative to <see cref="ContextRoot"/> (empty when it is the root).</summary>
    [Output]
    public string ModuleFolder { get; private set; } = string.Empty;

    /// <summary>go.mod/go.sum/go.work files; metadata RelativePath (to the context root), in COPY order.</summary>
    [Output]
    public ITaskItem[] ModuleFiles { get; private set; } = [];

    /// <summary>The module folders the build reads (main module, local replacements, needed go.work modules); metadata RelativePath.</summary>
    [Output]
    public ITaskItem[] SourceFolders { get; private set; } = [];

    /// <summary>golang:&lt;major.minor&gt; for the newest Go version any involved file asks for, before any mirror.</summary>
    [Output]
    public string DefaultBuildImage { get; private set; } = string.Empty;

    [Output]
    public string ResolvedMainPackage { get; private set; } = string.Empty;

    /// <summary>Standard-library and module packages the build imports from outside the workspace (import paths).</summary>
    [Output]
    public string[] DependencyPackages { get; private set; } = [];

    /// <summary>True when the module vendors its dependencies (vendor/modules.txt).</summary>
    [Output]
    public bool UsesVendor { get; private set; }

    protected override void Run()
    {
        var inputs = GoInputs.Compute(ProjectFile);
        ContextRoot = inputs.ContextRoot;
        ModuleFolder = inputs.ModuleFolder;
        DefaultBuildImage = inputs.DefaultBuildImage;
        UsesVendor = inputs.UsesVendor;
        ResolvedMainPackage = string.IsNullOrWhiteSpace(MainPackage)
            ? GoMainPackage.Find(Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!)
            : MainPackage.Trim();
        ModuleFiles = Relative(inputs.ContextRoot, inputs.Files);
        SourceFolders = Relative(inputs.ContextRoot, inputs.SourceFolders);
        DependencyPackages = [.. inputs.DependencyPackages];
        Log.LogMessage(MessageImportance.Low, "Stevedore: Go {0}, main package {1}, context {2}", inputs.GoVersion, ResolvedMainPackage, ContextRoot);
    }

    // Items of the context's files, with their path relative to the context root.
    private static ITaskItem[] Relative(string contextRoot, IEnumerable<string> paths) => paths.Select(f =>
    {
        var item = new TaskItem(Path.Combine(contextRoot, f));
        item.SetMetadata("RelativePath", f);
        return (ITaskItem)item;
    }).ToArray();
}
