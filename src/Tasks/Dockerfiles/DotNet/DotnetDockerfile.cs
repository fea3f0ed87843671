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
}

/// <summary>What the test stage builds and runs (paths relative to the context root).</summary>
/// <param name="Projects">The test projects, in the order they run.</param>
/// <param name="RestoreInputs">The test projects' restore inputs that the app's restore does not read, in COPY order.</param>
/// <param name="SourceInputs">Every source input of the app's and the test projects' closures, in COPY order.</param>
internal sealed record DotnetTests(IReadOnlyList<string> Projects, IReadOnlyList<RestoreInput> RestoreInputs, IReadOnlyList<string> SourceInputs);

/// <summary>Builds the multi-stage .NET Dockerfile: restore inputs, restore, sources, publish, then a small runtime stage.</summary>
internal static class DotnetDockerfile
{
    /// <summary>Passed to every dotnet command in the container: the project imports Stevedore too, and must not build an image there.</summary>
    public const string DisableInContainer = "-p:EnableStevedore=false";

    /// <summary>Where the build stage leaves one platform's app: the NuGet packages' files apart from the app's own.</summary>
    public const string AppOutput = "/app";

    public static DockerfileModel Create(DotnetDockerfileInputs inputs)
    {
        var project = DockerfileWriter.Json(inputs.ProjectPath);
        var once = inputs.CompilesOnce;
        var build = RestoreStage(inputs, "build", once ? Restore.EveryTarget : Restore.PerTarget);
        var versions = Versions(inputs);
        SourceCopy.AddTo(build, inputs.SourceInputs, string.Empty);
        if (once)
        {
            // Each target RID with the folder its publish goes to; StevedorePublishPlatforms (Stevedore.DotNet.targets)
            // publishes them in turn in one MSBuild process.
            var platforms = string.Join("+", inputs.Platforms.DistinctBy(p => p.Architecture)
                .Select(p => $"{p.DotNetRuntimeIdentifier}={AppOutput}/{p.Architecture}"));
            build.Add("RUN", CoreSlots.Run("--network=none", $"dotnet msbuild {project} -t:StevedorePublishPlatforms -nologo -v:m -p:Configuration={inputs.Configuration}"
                    + $" -p:StevedorePublishPlatforms={platforms} {FrameworkDependent} -p:AppendRuntimeIdentifierToOutputPath=false -p:PlatformTarget=AnyCPU"
                    + $" -p:StevedoreFreshAppHost=true -p:UseAppHost=true{versions} {DisableInContainer}"),
                "Compiled once on the build platform for every target: AnyCPU IL is the same, so each further RID's publish, in the"
                + " same MSBuild process, reuses the compile and only writes its apphost, RID-specific assets and deps.json. " + CoreSlots.Why);
        }
        else
        {
            // A native binary holds its packages' code: nothing to split off, no apphost, and its symbols (.dbg) stay in
            // the build stage's obj/ instead of the image.
            var publishOutput = inputs.NativeAot
                ? " -p:CopyOutputSymbolsToPublishDirectory=false"
                : $" -p:StevedorePackagesDir={AppOutput}/packages/ -p:UseAppHost=true";
            build.Add("RUN", CoreSlots.Run("--network=none", $"dotnet publish {project} --no-restore -c {inputs.Configuration} -a $TARGETARCH"
                    + (inputs.SelfContained ? " --self-contained true" : string.Empty) + AheadOfTime(inputs)
                    + $" -o {AppOutput}/app{publishOutput}{versions} {DisableInContainer}"),
                (inputs.NativeAot ? "ILCompiler on the build platform for the target: clang links with the target's linker and libraries. " : string.Empty) + CoreSlots.Why);
        }

        var output = once ? AppOutput + "/$TARGETARCH" : AppOutput;
        // The apphost, not `dotnet app.dll`: the arm64 runtime images may have no dotnet muxer.
        var final = inputs.Image.Stage(
            stage => (inputs.NativeAot
                    ? stage
                    : stage.Add("COPY", $"--from=build {output}/packages/ .", "The NuGet packages' files first: this layer changes only when a package version does."))
                .Add("COPY", $"--from=build {output}/app/ .", inputs.NativeAot ? "The native binary alone: no runtime, no .dbg files." : null),
            ["./" + inputs.AssemblyName],
            once ? stage => stage.Add("ARG", "TARGETARCH", "Each platform's image takes its own publish output from the shared build stage.") : null);

        var model = new DockerfileModel { Syntax = inputs.Syntax };
        model.Stages.Add(build);
        model.Stages.Add(final);
        if (inputs.Tests is { Projects.Count: > 0 } tests)
        {
            TestStages.AddTo(model, TestStage(inputs, tests), build);
        }

        return model;
    }

    private enum Restore
    {
        /// <summary>One restore for every target RID (the app compiles once).</summary>
        EveryTarget,

        /// <summary>For $TARGETARCH, in a stage per target platform.</summary>
        PerTarget,

        /// <summary>For the build platform alone: what `dotnet test` there needs.</summary>
        BuildPlatform,
    }

    // FROM the build image on the build platform, the app's restore inputs, then its restore. The test stage starts with
    // the same lines as the build stage when the app compiles once, so BuildKit runs that restore once for both.
    private static DockerfileStage RestoreStage(DotnetDockerfileInputs inputs, string name, Restore restore)
    {
        var stage = new DockerfileStage(inputs.BuildImage, name, "$BUILDPLATFORM");
        if (restore == Restore.PerTarget)
        {
            stage.Add("ARG", "TARGETARCH", $"Runs on the build machine's platform and cross-publishes for each target ({inputs.PerPlatformReason ?? "no platforms named"}): no emulation.");
        }

        // Dynamic PGO instruments the JIT's first-tier code for processes that run long enough to use what it learns; a
        // restore or compile lives seconds and only pays for it (the compile step takes about 13 % less CPU without it).
        // It changes how the SDK's own code is jitted, nothing the build writes.
        stage.Add("ENV", "DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_TieredPGO=0")
            .Add("WORKDIR", "/src");
        if (inputs.NativeAot && restore == Restore.PerTarget)
        {
            NativeToolchain.AddTo(stage);
        }

        CopyRestoreInputs(stage, inputs.RestoreInputs, inputs.Secrets, "Only what restore reads, so the restore layer stays cached until a project or package changes.");
        var project = DockerfileWriter.Json(inputs.ProjectPath);
        var selfContained = (inputs.SelfContained ? " -p:SelfContained=true" : string.Empty) + AheadOfTime(inputs);
        var mounts = Mounts(inputs);
        // The switches only on restore (GitVersion hooks it too): a new version must not re-run the restore step.
        var gitVersioning = GitVersionToolsOff(inputs.ComputedVersions);
        switch (restore)
        {
            case Restore.EveryTarget when inputs.RestoreProjects.Count > 1:
                stage.Add("RUN", $"{mounts}dotnet restore {DockerfileWriter.Json(inputs.RestoreProjects[0])} {RestoreProperties(inputs)}{gitVersioning} {DisableInContainer}",
                    $"One restore for the solution's {inputs.RestoreProjects.Count} container projects and every target platform: each image's build runs this same step, so the bake runs it once.");
                break;
            case Restore.EveryTarget:
                stage.Add("RUN", $"{mounts}dotnet restore {project} {RestoreProperties(inputs)}{gitVersioning} {DisableInContainer}",
                    "One restore for every target platform, packages in this layer (not only a cache mount), so --cache-to exports them with it.");
                break;
            case Restore.PerTarget:
                stage.Add("RUN", $"{mounts}dotnet restore {project} -a $TARGETARCH{selfContained}{gitVersioning} {DisableInContainer}",
                    "Packages land in this layer (not only a cache mount), so --cache-to exports them with it.");
                break;
            default:
                stage.Add("RUN", $"{mounts}dotnet restore {project}{gitVersioning} {DisableInContainer}",
                    "The app's packages for the build platform, where its tests run.");
                break;
        }

        return stage;
    }

    // The test projects' own restore after the app's (an edit of the app alone restores nothing again), their sources
    // with the app's, then `dotnet test` of each, its TRX kept in the results folder whatever the outcome.
    private static DockerfileStage TestStage(DotnetDockerfileInputs inputs, DotnetTests tests)
    {
        var test = RestoreStage(inputs, TestStages.TestStage, inputs.CompilesOnce ? Restore.EveryTarget : Restore.BuildPlatform);
        CopyRestoreInputs(test, tests.RestoreInputs, inputs.Secrets, "The test projects' restore inputs, after the app's restore: an edit of the app alone does not restore the tests again.");
        var properties = inputs.CompilesOnce ? RestoreProperties(inputs) + " " : string.Empty;
        var gitVersioning = GitVersionToolsOff(inputs.ComputedVersions).TrimStart();
        test.Add("RUN", Mounts(inputs) + string.Join(" \\\n && ", tests.Projects.Select(p => $"dotnet restore {DockerfileWriter.Json(p)} {properties}{gitVersioning}{(gitVersioning.Length > 0 ? " " : string.Empty)}{DisableInContainer}")),
            "The test projects' packages in a layer of their own; the app's restore above stays as it was.");
        SourceCopy.AddTo(test, tests.SourceInputs, string.Empty);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var runs = tests.Projects.Select(p =>
        {
            var name = Path.GetFileNameWithoutExtension(p);
            for (var n = 2; !names.Add(name); n++)
            {
                name = Path.GetFileNameWithoutExtension(p) + "-" + n.ToString(CultureInfo.InvariantCulture);
            }

            return $"dotnet test {DockerfileWriter.Json(p)} --no-restore -c {inputs.Configuration} --logger \"trx;LogFileName={name}.trx\""
                + $" --results-directory {TestStages.ResultsFolder} {properties}{Versions(inputs).TrimStart()}{(inputs.ComputedVersions.Count > 0 ? " " : string.Empty)}{DisableInContainer}";
        });
        test.Add("RUN", TestStages.Run(runs),
            "ContainerRunTests: every test project runs on the build platform; the results and the exit code are kept even when a test fails, and the host reads them.");
        return test;
    }

    private static void CopyRestoreInputs(DockerfileStage stage, IReadOnlyList<RestoreInput> restoreInputs, IReadOnlyList<Security.NuGetConfigSecret> secrets, string comment)
    {
        var first = true;
        foreach (var input in restoreInputs.Where(i => !secrets.Any(s => s.RelativePath == i.RelativePath)))
        {
            stage.Add("COPY", DockerfileWriter.JsonArray(input.RelativePath, Destination(input.RelativePath)), first ? comment : null);
            first = false;
        }
    }

    // Credentials reach restore only as secret mounts: present during this step, in no layer, cache or history.
    private static string Mounts(DotnetDockerfileInputs inputs) => string.Concat(inputs.Secrets.Select(s => s.Mount("/src") + " "));

    // RuntimeIdentifiers for the published projects only ('|'-separated: a shared restore's entry restores them all): a
    // global property would ask every library (and every framework a multi-targeting one targets) for apphost packs it
    // never uses.
    private static string RestoreProperties(DotnetDockerfileInputs inputs)
    {
        var rids = string.Join("+", inputs.ProjectRuntimeIdentifiers.Concat(inputs.Platforms.Select(p => p.DotNetRuntimeIdentifier)).Distinct());
        var projects = string.Join("|", (inputs.RestoreProjects.Count > 1 ? inputs.RestoreProjects : [inputs.ProjectPath]).Select(p => "/src/" + p));
        return $"-p:StevedoreRestoreProject={DockerfileWriter.Json(projects)} -p:StevedoreRestoreRuntimeIdentifiers={rids} {FrameworkDependent}";
    }

    /// <summary>
    /// What switches off MinVer (MinVerSkip), GitVersion (DisableGitVersionTask) and Nerdbank.GitVersioning's git reads
    /// (NBGV_GitEngine=Disabled) when the host computed the version: without .git they would fail or compute another.
    /// StevedoreVersionFromHost keeps Nerdbank's outputs from overriding the host's values (Stevedore.DotNet.targets).
    /// </summary>
    private static string GitVersionToolsOff(IReadOnlyList<KeyValuePair<string, string>> computedVersions) =>
        computedVersions.Count == 0 ? string.Empty : " -p:StevedoreVersionFromHost=true -p:MinVerSkip=true -p:DisableGitVersionTask=true -p:NBGV_GitEngine=Disabled";

    // The host's computed version for publish and test, with the git-versioning switches.
    private static string Versions(DotnetDockerfileInputs inputs) =>
        GitVersionToolsOff(inputs.ComputedVersions) + string.Concat(inputs.ComputedVersions.Select(v => $" -p:{v.Key}={DockerfileWriter.ShellQuote(PropertyValue(v.Value))}"));

    // A -p value as MSBuild reads it back: ';' and ',' would split it into other properties.
    private static string PropertyValue(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace(";", "%3B", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);

    // Restore and publish name these themselves: a value given on the host's command line is no part of the project the
    // container sees, and restore must fetch the ILCompiler or crossgen packs for the target.
    private static string AheadOfTime(DotnetDockerfileInputs inputs) =>
        (inputs.NativeAot ? " -p:PublishAot=true" : string.Empty) + (inputs.ReadyToRun ? " -p:PublishReadyToRun=true" : string.Empty);

    // A framework-dependent app needs no runtime pack, whatever RuntimeIdentifiers lists.
    private const string FrameworkDependent = "-p:EnableRuntimePackDownload=false";

    // A file goes into its folder (dest ending in '/'); a feed folder copies onto the same folder.
    private static string Destination(string relativePath)
    {
        if (relativePath.EndsWith('/'))
        {
            return relativePath;
        }

        var slash = relativePath.LastIndexOf('/');
        return slash < 0 ? "./" : relativePath[..(slash + 1)];
    }
}
