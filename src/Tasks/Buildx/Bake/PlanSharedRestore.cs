using Microsoft.Build.Framework;
using Stevedore.Tasks.Dockerfiles.DotNet;
using Stevedore.Tasks.Inputs.DotNet;

namespace Stevedore.Tasks.Buildx.Bake;

/// <summary>
/// A solution's bake, before any project writes its Dockerfile: groups the .NET container projects that can share one
/// restore, and writes the groups (shared-restore.json) for each project's GenerateDockerfile. Projects share when each
/// compiles once for every platform and they have the same build context, build image and git-versioning switches: then
/// the restore step (the union of their restore inputs, one `dotnet restore` of all of them) is the same in every
/// Dockerfile, and BuildKit runs it once for the whole bake. A project alone in its group restores as it always does.
/// </summary>
public sealed class PlanSharedRestore : Diagnostics.StevedoreTask
{
    /// <summary>
    /// Every project's restore inputs (StevedoreBakeRestoreInputs): Include = the input's full path, metadata Kind,
    /// RelativePath, and the project's own: Project (relative to Context), Context, BuildImage, PlatformRuntimeIdentifiers
    /// (the StevedorePlatform items' RuntimeIdentifier metadata),
    /// ProjectRuntimeIdentifiers, RuntimeIdentifier, NativeAot, ReadyToRun, SelfContained, Trimmed, ImportedAsSdk,
    /// VersionFromHost.
    /// </summary>
    public ITaskItem[] RestoreInputs { get; set; } = [];

    /// <summary>Where the groups go: the file every project's GenerateDockerfile reads (SharedRestoreFile).</summary>
    [Required]
    public string PlanFile { get; set; } = string.Empty;

    protected override void Run()
    {
        var groups = Plan(RestoreInputs);
        Files.AtomicFile.Write(PlanFile, SharedRestore.Serialize(groups));
        foreach (var group in groups)
        {
            Log.LogMessage(MessageImportance.Normal, "Stevedore: {0} projects share one restore: {1}", group.Projects.Count, string.Join(", ", group.Projects));
        }
    }

    internal static List<SharedRestoreGroup> Plan(IEnumerable<ITaskItem> restoreInputs) =>
        [.. restoreInputs
            .Where(i => DotnetDockerfileInputs.PerPlatformReasonFor(Flag(i, "NativeAot"), Flag(i, "ReadyToRun"), Flag(i, "SelfContained"),
                Flag(i, "Trimmed"), i.GetMetadata("RuntimeIdentifier"), Flag(i, "ImportedAsSdk")) is null)
            .GroupBy(i => (Context: Path.TrimEndingDirectorySeparator(Path.GetFullPath(i.GetMetadata("Context"))), BuildImage: i.GetMetadata("BuildImage"), VersionFromHost: Flag(i, "VersionFromHost")))
            .Select(g => Group(g.Key.Context, [.. g]))
            .Where(g => g.Projects.Count > 1)
            .OrderBy(g => g.Context, StringComparer.Ordinal)];

    private static SharedRestoreGroup Group(string context, IReadOnlyList<ITaskItem> inputs)
    {
        var projects = inputs.Select(i => i.GetMetadata("Project")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rids = inputs.GroupBy(i => i.GetMetadata("Project"))
            .SelectMany(p => Msbuild.PropertyList.Split(p.First().GetMetadata("ProjectRuntimeIdentifiers"))
                .Concat(Msbuild.PropertyList.Split(p.First().GetMetadata("PlatformRuntimeIdentifiers"))))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        // The COPY order every project's own restore inputs have: by kind, then path.
        var union = inputs
            .Select(RestoreInput.FromItem)
            .DistinctBy(i => i.RelativePath, StringComparer.Ordinal)
            .OrderBy(i => i.Kind).ThenBy(i => i.RelativePath, StringComparer.Ordinal)
            .ToList();
        return new SharedRestoreGroup(context, projects, rids, union);
    }

    private static bool Flag(ITaskItem item, string name) => string.Equals(item.GetMetadata(name).Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
