namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>What a restore input is; the order here is the order of the COPY lines in the Dockerfile.</summary>
internal enum RestoreInputKind
{
    NuGetConfig,
    LocalFeed,
    GlobalJson,
    DirectoryBuildProps,
    DirectoryBuildTargets,
    DirectoryPackagesProps,

    /// <summary>Any other .props/.targets a project imports from inside the repository (eng/Versions.props).</summary>
    Import,
    PackagesLock,
    Project,
}

/// <summary>One file (or local feed folder) that restore reads, with its path inside the build context.</summary>
/// <param name="RelativePath">Forward-slashed path from the context root; a folder ends with '/'.</param>
internal sealed record RestoreInput(RestoreInputKind Kind, string FullPath, string RelativePath)
{
    public bool IsFolder => RelativePath.EndsWith('/');

    /// <summary>An input as ResolveProjectInputs returns it: Include = the full path, metadata Kind and RelativePath.</summary>
    public static RestoreInput FromItem(Microsoft.Build.Framework.ITaskItem item) =>
        new(Enum.Parse<RestoreInputKind>(item.GetMetadata("Kind")), item.ItemSpec, item.GetMetadata("RelativePath"));

    /// <summary>The kind an imported file has by its name.</summary>
    public static RestoreInputKind KindOfImport(string path) => Path.GetFileName(path) switch
    {
        "Directory.Build.props" => RestoreInputKind.DirectoryBuildProps,
        "Directory.Build.targets" => RestoreInputKind.DirectoryBuildTargets,
        "Directory.Packages.props" => RestoreInputKind.DirectoryPackagesProps,
        _ => RestoreInputKind.Import,
    };
}
