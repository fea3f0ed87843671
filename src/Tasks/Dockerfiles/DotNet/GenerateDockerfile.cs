using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Options;

namespace Stevedore.Tasks.Dockerfiles.DotNet;

/// <summary>
/// Writes the .NET Dockerfile and its &lt;Dockerfile&gt;.dockerignore: generated (header-marked, rewritten only
/// when changed, never over a person's file) or, with <see cref="Eject"/>, as new user-owned files.
/// </summary>
public sealed class GenerateDockerfile : DockerfileTask
{
    /// <summary>The project relative to the build context root.</summary>
    [Required]
    public string ProjectRelativePath { get; set; } = string.Empty;

    /// <summary>From ResolveRestoreInputs: metadata Kind and RelativePath, already in COPY order.</summary>
    public ITaskItem[] RestoreInputs { get; set; } = [];

    /// <summary>From ResolveProjectInputs: metadata RelativePath (folders end in '/'), already in COPY order.</summary>
    public ITaskItem[] SourceInputs { get; set; } = [];

    /// <summary>The apphost the entrypoint starts.</summary>
    [Required]
    public string AssemblyName { get; set; } = string.Empty;

    /// <summary>Configuration the container publishes with.</summary>
    public string? Configuration { get; set; }

    /// <summary>Publish self-contained in the container.</summary>
    public bool SelfContained { get; set; }

    /// <summary>PublishReadyToRun: crossgen output differs per platform.</summary>
    public bool ReadyToRun { get; set; }

    /// <summary>PublishAot: a native binary per platform.</summary>
    public bool NativeAot { get; set; }

    /// <summary>PublishTrimmed: trimming runs per RID.</summary>
    public bool Trimmed { get; set; }

    /// <summary>RuntimeIdentifiers the project lists itself (a lock file records them): restore keeps them, plus the targets'.</summary>
    public string? RuntimeIdentifiers { get; set; }

    /// <summary>Stevedore.Sdk came in as an MSBuild SDK, so its targets take part in the container's restore.</summary>
    public bool ImportedAsSdk { get; set; }

    /// <summary>A RuntimeIdentifier the project sets itself.</summary>
    public string? RuntimeIdentifier { get; set; }

    /// <summary>ContainerRunTests: the test projects to run (metadata RelativePath), from ResolveProjectInputs; none adds no test stage.</summary>
    public ITaskItem[] TestProjects { get; set; } = [];

    /// <summary>The test projects' restore inputs the app's restore does not read (as <see cref="RestoreInputs"/>).</summary>
    public ITaskItem[] TestRestoreInputs { get; set; } = [];

    /// <summary>The source inputs of the app's and the test projects' closures (as <see cref="SourceInputs"/>).</summary>
    public ITaskItem[] TestSourceInputs { get; set; } = [];
    /// <summary>
    /// The version the project's version targets computed on the host (MinVer, Nerdbank.GitVersioning, GitVersion read
    /// .git, which the build stage has not): Include = property name, metadata Value. Empty when they changed nothing.
    /// </summary>
    public ITaskItem[] ComputedVersions { get; set; } = [];

    /// <summary>ContainerCompileCache (default true): the compile step keeps its obj/ folders across builds on the builder.</summary>
    public bool CompileCache { get; set; } = true;

    /// <summary>A solution's bake: the shared restores PlanSharedRestore wrote (shared-restore.json); unset outside a bake.</summary>
    public string? SharedRestoreFile { get; set; }

    /// <summary>"once" (one restore and compile for every platform) or "per-platform"; <see cref="BuildModeReason"/> says why.</summary>
    [Output]
    public string BuildMode { get; private set; } = string.Empty;

    [Output]
    public string BuildModeReason { get; private set; } = string.Empty;

    /// <summary>BuildKit secrets the build needs (nuget.configs with credentials): Include = id, metadata Source = the host file.</summary>
    [Output]
    public ITaskItem[] Secrets { get; private set; } = [];

    /// <summary>What the ejected header asks of the user: the container's restore reads the project and global.json.</summary>
    internal static readonly string[] EjectNotes =
    [
        "First remove Stevedore.Sdk from the project: its <Sdk Name=\"Stevedore.Sdk\" /> line (or Sdk=\"Stevedore.Sdk/...\", or its",
        "PackageReference) and its entry in global.json's msbuild-sdks. While the project imports it, the restore below needs",
        "the package from your feeds and the publish below would try to build an image inside the build stage.",
    ];

    protected override void Generate()
    {
        // An ejected file restores every RID with plain `-r`, not through Stevedore's restore targets: how Stevedore.Sdk
        // came in does not matter there.
        var perPlatform = DotnetDockerfileInputs.PerPlatformReasonFor(NativeAot, ReadyToRun, SelfContained, Trimmed, RuntimeIdentifier, ImportedAsSdk || Eject);
        // In a solution's bake, a project that compiles once may share one restore with the others (PlanSharedRestore).
        var shared = perPlatform is null ? SharedRestore.Find(SharedRestoreFile, ContextDirectory, ProjectRelativePath) : null;
        var restoreInputs = shared?.RestoreInputs ?? [.. RestoreInputs.Select(RestoreInput.FromItem)];
        List<RestoreInput> testRestoreInputs = [.. TestRestoreInputs.Select(RestoreInput.FromItem)];
        var secrets = Security.NuGetConfigSecret.FindIn([.. restoreInputs, .. testRestoreInputs]);
        var images = FromImages();
        var platforms = TargetPlatforms;
        NativeToolchain.Check(NativeAot, platforms);

        var model = DotnetDockerfile.Create(new DotnetDockerfileInputs
        {
            BuildImage = images.Build,
            Image = Image(images.Base),
            ProjectPath = ProjectRelativePath,
            RestoreInputs = restoreInputs,
            SourceInputs = SourceInputs.Select(i => i.GetMetadata("RelativePath")).ToList(),
            Secrets = secrets,
            AssemblyName = AssemblyName,
            Configuration = string.IsNullOrWhiteSpace(Configuration) ? DotnetDockerfileInputs.DefaultConfiguration : Configuration.Trim(),
            SelfContained = SelfContained,
            NativeAot = NativeAot,
            ReadyToRun = ReadyToRun,
            Platforms = platforms,
            PerPlatformReason = perPlatform,
            ProjectRuntimeIdentifiers = shared?.RuntimeIdentifiers ?? Msbuild.PropertyList.Split(RuntimeIdentifiers),
            RestoreProjects = shared?.Projects ?? [],
            Syntax = SyntaxOrNull,
            Tests = TestProjects.Length == 0 ? null : new DotnetTests(
                TestProjects.Select(t => t.GetMetadata("RelativePath")).ToList(),
                testRestoreInputs,
                TestSourceInputs.Select(i => i.GetMetadata("RelativePath")).ToList()),
            ComputedVersions = ComputedVersions.Select(v => new KeyValuePair<string, string>(v.ItemSpec, v.GetMetadata("Value"))).ToList(),
            Eject = Eject,
            CompileCache = CompileCache,
        });

        // The source copy must not pick up a file that is only ever a secret.
        WriteFiles(model, header => DockerIgnoreWriter.Write(header, secrets.Select(s => s.RelativePath)),
            string.Concat(secrets.Select(s => $" --secret id={s.Id},src={s.RelativePath}")), EjectNotes);
        BuildMode = perPlatform is null ? "once" : "per-platform";
        BuildModeReason = perPlatform ?? "framework-dependent: the IL is the same for every platform";
        Log.LogMessage(MessageImportance.Normal, "Stevedore: compiled {0} for {1} ({2})",
            perPlatform is null ? "once" : "per platform", string.Join(", ", platforms), BuildModeReason);
        Secrets = secrets.Select(s => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(s.Id, new Dictionary<string, string> { ["Source"] = s.FullPath })).ToArray();
    }
}
