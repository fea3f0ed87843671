namespace Stevedore.Tasks.Dockerfiles.DotNet;

/// <summary>
/// The build steps of an ejected Dockerfile (ContainerEject=true): plain `dotnet restore` and `dotnet publish` that need
/// nothing of Stevedore.Sdk in the container (none of its targets or properties, no core-slot wait), cross-compiled on
/// the build platform for each target: no emulation.
/// </summary>
internal static class EjectedBuild
{
    /// <summary>
    /// The one restore's arguments for every target platform: RuntimeIdentifiers lists each target's RID (and the
    /// project's own, a lock file records them), quoted for MSBuild so the ';' separates RIDs (`-r a -r b` and '%3B' make
    /// one RID of them), and no runtime packs, which a framework-dependent app does not use.
    /// </summary>
    public static string RestoreProperties(DotnetDockerfileInputs inputs) =>
        DockerfileWriter.ShellQuote($"-p:RuntimeIdentifiers=\"{string.Join(";", RuntimeIdentifiers(inputs))}\"") + " " + FrameworkDependent;

    /// <summary>
    /// After the sources: TARGETARCH, declared only here so the restore and the sources are shared by every target
    /// platform, picks the RID the restore fetched; `dotnet publish -r` then cross-compiles for it on the build platform.
    /// </summary>
    public static void AddPublishOnce(DockerfileStage build, DotnetDockerfileInputs inputs, string project, string versions)
    {
        var cases = string.Join(" ", inputs.Platforms.DistinctBy(p => p.Architecture).Select(p => $"{p.Architecture}) rid={p.DotNetRuntimeIdentifier} ;;"));
        build.Add("ARG", "TARGETARCH", "Declared after the restore and the sources, so both are shared by every target platform.")
            .Add("RUN", $"--network=none case \"$TARGETARCH\" in {cases} *) echo \"no RuntimeIdentifier restored for $TARGETARCH\" >&2; exit 1 ;; esac; \\\n"
                    + $" dotnet publish {project} --no-restore -c {inputs.Configuration} -r \"$rid\" -o {DotnetDockerfile.AppOutput} {FrameworkDependent}{versions}",
                "Cross-compiled on the build platform for the target's RuntimeIdentifier (restored above): no emulation, no network.");
    }

    /// <summary>Per platform (self-contained, ReadyToRun, Native AOT, trimmed, a RID in the project): the stage declares TARGETARCH already.</summary>
    public static void AddPublishPerPlatform(DockerfileStage build, DotnetDockerfileInputs inputs, string project, string selfContained, string versions)
    {
        // A native binary holds its packages' code and needs no apphost; its symbols (.dbg) stay in the build stage.
        var output = inputs.NativeAot ? " -p:CopyOutputSymbolsToPublishDirectory=false" : string.Empty;
        build.Add("RUN", $"--network=none dotnet publish {project} --no-restore -c {inputs.Configuration} -a $TARGETARCH{selfContained} -o {DotnetDockerfile.AppOutput}{output}{versions}",
            "Cross-compiled on the build platform for the target: no emulation, no network.");
    }

    // The published projects' RIDs then the targets', each once.
    private static IEnumerable<string> RuntimeIdentifiers(DotnetDockerfileInputs inputs) =>
        inputs.ProjectRuntimeIdentifiers.Concat(inputs.Platforms.Select(p => p.DotNetRuntimeIdentifier)).Distinct(StringComparer.Ordinal);

    // A framework-dependent app needs no runtime pack, whatever RuntimeIdentifiers lists.
    private const string FrameworkDependent = "-p:EnableRuntimePackDownload=false";
}
