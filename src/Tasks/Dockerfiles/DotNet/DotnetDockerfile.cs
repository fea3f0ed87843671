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

    /// <summary>True when one restore and one compile serve every target platform.</summary>
    public bool CompilesOnce => PerPlatformReason is null && Platforms.Count > 0;

    public string? Syntax { get; init; }

    /// <summary>nuget.configs with credentials: mounted as BuildKit secrets for restore, never copied.</summary>
    public IReadOnlyList<Security.NuGetConfigSecret> Secrets { get; init; } = [];
}

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
        var build = new DockerfileStage(inputs.BuildImage, "build", "$BUILDPLATFORM");
        if (!once)
        {
            build.Add("ARG", "TARGETARCH", $"Runs on the build machine's platform and cross-publishes for each target ({inputs.PerPlatformReason ?? "no platforms named"}): no emulation.");
        }

        build.Add("ENV", "DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1")
            .Add("WORKDIR", "/src");
        if (inputs.NativeAot)
        {
            NativeToolchain.AddTo(build);
        }

        var first = true;
        foreach (var input in inputs.RestoreInputs.Where(i => !inputs.Secrets.Any(s => s.RelativePath == i.RelativePath)))
        {
            build.Add("COPY", DockerfileWriter.JsonArray(input.RelativePath, Destination(input.RelativePath)),
                first ? "Only what restore reads, so the restore layer stays cached until a project or package changes." : null);
            first = false;
        }

        var selfContained = (inputs.SelfContained ? " -p:SelfContained=true" : string.Empty) + AheadOfTime(inputs);
        // Credentials reach restore only as secret mounts: present during this step, in no layer, cache or history.
        var mounts = string.Concat(inputs.Secrets.Select(s => s.Mount("/src") + " "));
        if (once)
        {
            // RuntimeIdentifiers for the published project only: a global property would ask every library (and every
            // framework a multi-targeting one targets) for apphost packs it never uses.
            var rids = string.Join("+", inputs.ProjectRuntimeIdentifiers.Concat(inputs.Platforms.Select(p => p.DotNetRuntimeIdentifier)).Distinct());
            build.Add("RUN", $"{mounts}dotnet restore {project} -p:StevedoreRestoreProject={DockerfileWriter.Json("/src/" + inputs.ProjectPath)}"
                + $" -p:StevedoreRestoreRuntimeIdentifiers={rids} {FrameworkDependent} {DisableInContainer}",
                "One restore for every target platform, packages in this layer (not only a cache mount), so --cache-to exports them with it.");
        }
        else
        {
            build.Add("RUN", $"{mounts}dotnet restore {project} -a $TARGETARCH{selfContained} {DisableInContainer}",
                "Packages land in this layer (not only a cache mount), so --cache-to exports them with it.");
        }

        SourceCopy.AddTo(build, inputs.SourceInputs, string.Empty);
        if (once)
        {
            var publishes = inputs.Platforms.DistinctBy(p => p.Architecture).Select(p =>
                $"dotnet publish {project} --no-restore -c {inputs.Configuration} -r {p.DotNetRuntimeIdentifier} --self-contained false"
                + $" -o {AppOutput}/{p.Architecture}/app {FrameworkDependent} -p:AppendRuntimeIdentifierToOutputPath=false -p:PlatformTarget=AnyCPU -p:StevedoreFreshAppHost=true"
                + $" -p:StevedorePackagesDir={AppOutput}/{p.Architecture}/packages/ -p:UseAppHost=true {DisableInContainer}");
            build.Add("RUN", "--network=none " + string.Join(" \\\n && ", publishes),
                "Compiled once on the build platform for every target: AnyCPU IL is the same, so each further publish reuses the compile"
                + " and only writes its apphost, RID-specific assets and deps.json.");
        }
        else
        {
            // A native binary holds its packages' code: nothing to split off, no apphost, and its symbols (.dbg) stay in
            // the build stage's obj/ instead of the image.
            var publishOutput = inputs.NativeAot
                ? " -p:CopyOutputSymbolsToPublishDirectory=false"
                : $" -p:StevedorePackagesDir={AppOutput}/packages/ -p:UseAppHost=true";
            build.Add("RUN", $"--network=none dotnet publish {project} --no-restore -c {inputs.Configuration} -a $TARGETARCH"
                + (inputs.SelfContained ? " --self-contained true" : string.Empty) + AheadOfTime(inputs)
                + $" -o {AppOutput}/app{publishOutput} {DisableInContainer}",
                inputs.NativeAot ? "ILCompiler on the build platform for the target: clang links with the target's linker and libraries." : null);
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
        return model;
    }

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
