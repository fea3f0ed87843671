using System.Globalization;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Options;

namespace Stevedore.Tasks.Dockerfiles.DotNet;

/// <summary>Everything the .NET Dockerfile is made from; the task fills it from MSBuild properties and items.</summary>
internal sealed record DotnetDockerfileInputs
{
    public required string BuildImage { get; init; }

    /// <summary>The final stage: base image, user, ports, environment, labels, command.</summary>
    public required FinalImage Image { get; init; }

    /// <summary>The published project, relative to the build context root.</summary>
    public required string ProjectPath { get; init; }

    /// <summary>Restore inputs in COPY order (paths relative to the context root).</summary>
    public required IReadOnlyList<RestoreInput> RestoreInputs { get; init; }

    /// <summary>The closure's project folders and the files it reads from outside them (relative, folders end in '/'), in COPY order.</summary>
    public IReadOnlyList<string> SourceInputs { get; init; } = [];

    /// <summary>The apphost name the entrypoint starts.</summary>
    public required string AssemblyName { get; init; }

    /// <summary>The configuration `dotnet publish` builds; Release when the project names none, as publish does.</summary>
    public string Configuration { get; init; } = DefaultConfiguration;

    public const string DefaultConfiguration = "Release";

    public bool SelfContained { get; init; }

    /// <summary>PublishAot: a native binary per platform, cross-compiled on the build platform with a native toolchain.</summary>
    public bool NativeAot { get; init; }

    /// <summary>PublishReadyToRun: crossgen for each target platform, on the build platform.</summary>
    public bool ReadyToRun { get; init; }

    /// <summary>The target platforms, in order; with <see cref="CompileOnceReason"/> null, one compile serves them all.</summary>
    public IReadOnlyList<Platforms.ContainerPlatform> Platforms { get; init; } = [];

    /// <summary>
    /// Why the app must be compiled per platform (self-contained, ReadyToRun, Native AOT, trimming, a RuntimeIdentifier
    /// in the project), or null when it is framework-dependent and one compile on the build platform serves every target.
    /// </summary>
    public string? PerPlatformReason { get; init; }

    /// <summary>RuntimeIdentifiers the project lists itself: the one restore keeps them (a lock file records them).</summary>
    public IReadOnlyList<string> ProjectRuntimeIdentifiers { get; init; } = [];

    /// <summary>
    /// A solution's shared restore (<see cref="SharedRestoreGroup"/>): every project it restores, relative to the context,
    /// the first its entry; <see cref="RestoreInputs"/> and <see cref="ProjectRuntimeIdentifiers"/> are then the group's.
    /// Empty: the published project alone.
    /// </summary>
    public IReadOnlyList<string> RestoreProjects { get; init; } = [];

    /// <summary>
    /// Why a project must be compiled per platform, or null when one compile on the build platform serves every target
    /// (framework-dependent, no RuntimeIdentifier of its own, Stevedore.Sdk imported as an SDK).
    /// </summary>
    public static string? PerPlatformReasonFor(bool nativeAot, bool readyToRun, bool selfContained, bool trimmed, string? runtimeIdentifier, bool importedAsSdk) =>
        nativeAot ? "PublishAot"
        : readyToRun ? "PublishReadyToRun"
        : selfContained ? "self-contained"
        : trimmed ? "PublishTrimmed"
        : !string.IsNullOrWhiteSpace(runtimeIdentifier) ? "RuntimeIdentifier " + runtimeIdentifier.Trim() + " in the project"
        : !importedAsSdk ? "Stevedore.Sdk as a PackageReference: its targets load only after restore, so restore cannot list every target RID"
        : null;

    /// <summary>True when one restore and one compile serve every target platform.</summary>
    public bool CompilesOnce => PerPlatformReason is null && Platforms.Count > 0;

    public string? Syntax { get; init; }

    /// <summary>
    /// Version properties computed on the host from git (name, value): the publish gets them, and the git version tools
    /// are switched off in the build stage, which has no .git. Empty when the project's version is a plain property.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ComputedVersions { get; init; } = [];

    /// <summary>nuget.configs with credentials: mounted as BuildKit secrets for restore, never copied.</summary>
    public IReadOnlyList<Security.NuGetConfigSecret> Secrets { get; init; } = [];

    /// <summary>ContainerRunTests: the test projects and their inputs; null (or no project) adds no test stage.</summary>
    public DotnetTests? Tests { get; init; }

    /// <summary>ContainerCompileCache (default true): the compile step keeps its obj/ folders in a cache mount across builds.</summary>
    public bool CompileCache { get; init; } = true;

    /// <summary>The compile step keeps its obj/ folders (<see cref="DotNet.CompileCache"/>); never in an ejected file, which needs nothing of Stevedore.</summary>
    public bool KeepsObj => CompileCache && !Eject;

    /// <summary>ContainerEject: plain dotnet commands that need nothing of Stevedore.Sdk in the container (<see cref="EjectedBuild"/>).</summary>
    public bool Eject { get; init; }
}

/// <summary>What the test stage builds and runs (paths relative to the context root).</summary>
/// <param name="Projects">The test projects, in the order they run.</param>
/// <param name="RestoreInputs">The test projects' restore inputs that the app's restore does not read, in COPY order.</param>
/// <param name="SourceInputs">Every source input of the app's and the test projects' closures, in COPY order.</param>
internal sealed record DotnetTests(IReadOnlyList<string> Projects, IReadOnlyList<RestoreInput> RestoreInputs, IReadOnlyList<string> SourceInputs);
