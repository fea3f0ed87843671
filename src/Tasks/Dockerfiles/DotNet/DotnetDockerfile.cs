using System.Globalization;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Options;

namespace Stevedore.Tasks.Dockerfiles.DotNet;

/// <summary>Builds the multi-stage .NET Dockerfile: restore inputs, restore, sources, publish, then a small runtime stage.</summary>
internal static class DotnetDockerfile
{
    /// <summary>Passed to every dotnet command in the container: the project imports Stevedore too, and must not build an image there.</summary>
    public const string DisableInContainer = "-p:EnableStevedore=false";

    // An ejected file's project no longer imports Stevedore: nothing to switch off.
    private static string Off(DotnetDockerfileInputs inputs) => inputs.Eject ? string.Empty : " " + DisableInContainer;

    /// <summary>Where the build stage leaves one platform's app: the NuGet packages' files apart from the app's own.</summary>
    public const string AppOutput = "/app";

    public static DockerfileModel Create(DotnetDockerfileInputs inputs)
    {
        var project = DockerfileWriter.Json(inputs.ProjectPath);
        var once = inputs.CompilesOnce;
        var build = RestoreStage(inputs, "build", once ? Restore.EveryTarget : Restore.PerTarget);
        var versions = Versions(inputs);
        SourceCopy.AddTo(build, inputs.SourceInputs, string.Empty);
        if (inputs.Eject && once)
        {
            EjectedBuild.AddPublishOnce(build, inputs, project, versions);
        }
        else if (inputs.Eject)
        {
            EjectedBuild.AddPublishPerPlatform(build, inputs, project, (inputs.SelfContained ? " --self-contained true" : string.Empty) + AheadOfTime(inputs), versions);
        }
        else if (once)
        {
            // Each target RID with the folder its publish goes to; StevedorePublishPlatforms (Stevedore.DotNet.targets)
            // publishes them in turn in one MSBuild process.
            var platforms = string.Join("+", inputs.Platforms.DistinctBy(p => p.Architecture)
                .Select(p => $"{p.DotNetRuntimeIdentifier}={AppOutput}/{p.Architecture}"));
            build.Add("RUN", Compile(inputs, CompileCache.EveryTarget, $"dotnet msbuild {project} -t:StevedorePublishPlatforms -nologo -v:m -p:Configuration={inputs.Configuration}"
                    + $" -p:StevedorePublishPlatforms={platforms} {FrameworkDependent} -p:AppendRuntimeIdentifierToOutputPath=false -p:PlatformTarget=AnyCPU"
                    + $" -p:StevedoreFreshAppHost=true -p:UseAppHost=true{versions} {DisableInContainer}"),
                "Compiled once for every target (AnyCPU IL is the same): each further RID's publish writes only its apphost, RID assets and deps.json.");
        }
        else
        {
            // A native binary holds its packages' code: nothing to split off, no apphost, and its symbols (.dbg) stay in
            // the build stage's obj/ instead of the image.
            var publishOutput = inputs.NativeAot
                ? " -p:CopyOutputSymbolsToPublishDirectory=false"
                : $" -p:StevedorePackagesDir={AppOutput}/packages/ -p:UseAppHost=true";
            build.Add("RUN", Compile(inputs, "\"$TARGETARCH\"", $"dotnet publish {project} --no-restore -c {inputs.Configuration} -a $TARGETARCH"
                    + (inputs.SelfContained ? " --self-contained true" : string.Empty) + AheadOfTime(inputs)
                    + $" -o {AppOutput}/app{publishOutput}{versions} {DisableInContainer}"),
                inputs.NativeAot ? "ILCompiler on the build platform for the target: clang links with the target's linker and libraries." : null);
        }

        var output = once ? AppOutput + "/$TARGETARCH" : AppOutput;
        // The apphost, not `dotnet app.dll`: the arm64 runtime images may have no dotnet muxer.
        var final = inputs.Eject ? inputs.Image.Stage(stage => stage.Add("COPY", $"--from=build {AppOutput}/ ."), ["./" + inputs.AssemblyName]) : inputs.Image.Stage(
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
        if (!inputs.Eject)
        {
            CoreSlots.AddScript(stage);
        }

        if (inputs.KeepsObj && restore != Restore.BuildPlatform)
        {
            CompileCache.AddScript(stage);
        }

        if (inputs.NativeAot && restore == Restore.PerTarget)
        {
            NativeToolchain.AddTo(stage);
        }

        CopyRestoreInputs(stage, inputs.RestoreInputs, inputs.Secrets, "Only what restore reads, so the restore layer stays cached until a project or package changes.");
        var project = DockerfileWriter.Json(inputs.ProjectPath);
        var selfContained = (inputs.SelfContained ? " -p:SelfContained=true" : string.Empty) + AheadOfTime(inputs);
        var mounts = Mounts(inputs);
        // The switches only on restore (GitVersion hooks it too): a new version must not re-run the restore step.
        var gitVersioning = GitVersionToolsOff(inputs);
        switch (restore)
        {
            case Restore.EveryTarget when inputs.RestoreProjects.Count > 1:
                stage.Add("RUN", $"{mounts}dotnet restore {DockerfileWriter.Json(inputs.RestoreProjects[0])} {RestoreProperties(inputs)}{gitVersioning}{Off(inputs)}",
                    $"One restore for the solution's {inputs.RestoreProjects.Count} container projects and every target platform: each image's build runs this same step, so the bake runs it once.");
                break;
            case Restore.EveryTarget:
                stage.Add("RUN", $"{mounts}dotnet restore {project} {RestoreProperties(inputs)}{gitVersioning}{Off(inputs)}",
                    "One restore for every target platform, packages in this layer (not only a cache mount), so --cache-to exports them with it.");
                break;
            case Restore.PerTarget:
                stage.Add("RUN", $"{mounts}dotnet restore {project} -a $TARGETARCH{selfContained}{gitVersioning}{Off(inputs)}",
                    "Packages land in this layer (not only a cache mount), so --cache-to exports them with it.");
                break;
            default:
                stage.Add("RUN", $"{mounts}dotnet restore {project}{gitVersioning}{Off(inputs)}",
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
        var properties = inputs.CompilesOnce ? " " + RestoreProperties(inputs) : string.Empty;
        var gitVersioning = GitVersionToolsOff(inputs);
        test.Add("RUN", Mounts(inputs) + string.Join(" \\\n && ", tests.Projects.Select(p => $"dotnet restore {DockerfileWriter.Json(p)}{properties}{gitVersioning}{Off(inputs)}")),
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
                + $" --results-directory {TestStages.ResultsFolder}{(inputs.Eject ? string.Empty : properties)}{Versions(inputs)}{Off(inputs)}";
        });
        test.Add("RUN", TestStages.Run(runs),
            "ContainerRunTests: every test project runs on the build platform; the results and the exit code are kept even when a test fails, and the host reads them.");
        return test;
    }

    // The compile step: offline, on a core slot, and with the obj/ folders of the last compile when the project keeps them.
    // The cache is the command's without the host's computed version: a new commit's version (MinVer, Nerdbank) must not
    // start an empty one; MSBuild regenerates AssemblyInfo and compiles again when the version changed.
    private static string Compile(DotnetDockerfileInputs inputs, string target, string command) => inputs.KeepsObj
        ? CoreSlots.Run("--network=none " + CompileCache.Mount(inputs.ComputedVersions.Count == 0 ? command : command.Replace(Versions(inputs), string.Empty, StringComparison.Ordinal)),
            CompileCache.Wrap(command, target, CompileInputs(inputs)))
        : CoreSlots.Run("--network=none", command);

    // What the compile reads from the context: the source folders and files, and the restore inputs that are files
    // outside them (props, lock files; not the feeds, not a nuget.config that is only ever a secret mount).
    private static IEnumerable<string> CompileInputs(DotnetDockerfileInputs inputs)
    {
        var folders = inputs.SourceInputs.Where(p => p.EndsWith('/')).ToList();
        var outside = inputs.RestoreInputs.Select(i => i.RelativePath)
            .Where(p => !p.EndsWith('/') && !inputs.Secrets.Any(s => s.RelativePath == p))
            .Where(p => !folders.Any(f => f == "./" || p.StartsWith(f, StringComparison.Ordinal)));
        return outside.Concat(inputs.SourceInputs.Select(p => p == "./" ? "." : p));
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
        if (inputs.Eject)
        {
            return EjectedBuild.RestoreProperties(inputs);
        }

        var rids = string.Join("+", inputs.ProjectRuntimeIdentifiers.Concat(inputs.Platforms.Select(p => p.DotNetRuntimeIdentifier)).Distinct());
        var projects = string.Join("|", (inputs.RestoreProjects.Count > 1 ? inputs.RestoreProjects : [inputs.ProjectPath]).Select(p => "/src/" + p));
        return $"-p:StevedoreRestoreProject={DockerfileWriter.Json(projects)} -p:StevedoreRestoreRuntimeIdentifiers={rids} {FrameworkDependent}";
    }

    /// <summary>
    /// What switches off MinVer (MinVerSkip), GitVersion (DisableGitVersionTask) and Nerdbank.GitVersioning's git reads
    /// (NBGV_GitEngine=Disabled) when the host computed the version: without .git they would fail or compute another.
    /// StevedoreVersionFromHost keeps Nerdbank's outputs from overriding the host's values (Stevedore.DotNet.targets).
    /// </summary>
    private static string GitVersionToolsOff(DotnetDockerfileInputs inputs) =>
        inputs.ComputedVersions.Count == 0 ? string.Empty
        : (inputs.Eject ? string.Empty : " -p:StevedoreVersionFromHost=true") + " -p:MinVerSkip=true -p:DisableGitVersionTask=true -p:NBGV_GitEngine=Disabled";

    // The host's computed version for publish and test, with the git-versioning switches.
    private static string Versions(DotnetDockerfileInputs inputs) =>
        GitVersionToolsOff(inputs) + string.Concat(inputs.ComputedVersions.Select(v => $" -p:{v.Key}={DockerfileWriter.ShellQuote(PropertyValue(v.Value))}"));

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
