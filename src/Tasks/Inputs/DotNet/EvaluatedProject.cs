namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>
/// What MSBuild's own evaluation says about one project of the ProjectReference closure (all its inner builds
/// merged): the files it imports and the files it compiles or publishes. Full paths throughout.
/// </summary>
internal sealed record EvaluatedProject
{
    /// <summary>The project file.</summary>
    public required string FullPath { get; init; }

    /// <summary>Every file the evaluation imported (ProjectInstance.ImportPaths), SDK files included.</summary>
    public IReadOnlyList<string> Imports { get; init; } = [];

    /// <summary>Compile, EmbeddedResource, AdditionalFiles and published Content/None items, and a strong-name key.</summary>
    public IReadOnlyList<string> SourceFiles { get; init; } = [];

    /// <summary>Folders the build writes (obj/, bin/): an import from there (nuget.g.props) is generated, never copied.</summary>
    public IReadOnlyList<string> OutputFolders { get; init; } = [];

    /// <summary>Folders the build image or restore provides (the .NET installation, MSBuild, NuGet's packages folder).</summary>
    public IReadOnlyList<string> ToolsetFolders { get; init; } = [];

    /// <summary>RestoreConfigFile: a nuget.config named explicitly instead of the folder walk.</summary>
    public string? RestoreConfigFile { get; init; }

    /// <summary>The lock file NuGet reads and writes for this project (NuGetLockFilePath or packages.lock.json).</summary>
    public string? LockFile { get; init; }

    /// <summary>Local folders from RestoreSources / RestoreAdditionalProjectSources.</summary>
    public IReadOnlyList<string> FeedFolders { get; init; } = [];

    /// <summary>
    /// A test project: IsTestProject is true, or it references a package that makes it one (Microsoft.NET.Test.Sdk,
    /// MSTest, xunit.v3, TUnit), whose props set IsTestProject only once the project is restored.
    /// </summary>
    public bool IsTestProject { get; init; }

    /// <summary>The projects it references directly (the static graph's edges), full paths.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public string Folder => Path.GetDirectoryName(FullPath)!;
}
