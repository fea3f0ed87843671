using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Plan;

/// <summary>
/// Ends ResolveImages, Generate and ResolveCache with one build plan per project (build-plan.json, <see cref="BuildPlan"/>):
/// the typed platforms and cache specs, the buildx inputs, and what the Dockerfile runs and reads — from the generator's
/// model, or for a user's own Dockerfile from its text. Preflight, Test, Build, Bake and Report take the plan item.
/// </summary>
public sealed class WriteBuildPlan : StevedoreTask
{
    /// <summary>Where the plan goes (obj/…/stevedore/build-plan.json).</summary>
    [Required]
    public string PlanFile { get; set; } = string.Empty;

    /// <summary>The project's name: the plan item's Project metadata, and part of a push-by-digest file's name.</summary>
    [Required]
    public string Project { get; set; } = string.Empty;

    /// <summary>StevedorePlatform items (ResolveContainerImages).</summary>
    [Required]
    public ITaskItem[] Platforms { get; set; } = [];

    /// <summary>The Dockerfile buildx gets: the generated one or the user's own.</summary>
    [Required]
    public string Dockerfile { get; set; } = string.Empty;

    /// <summary>ContainerDockerfile is empty: Stevedore generated <see cref="Dockerfile"/>, and the Generate outputs below describe it.</summary>
    public bool Generated { get; set; }

    /// <summary>ContainerRunTests runs the test stage in this build: its exported results belong in the report.</summary>
    public bool RunsTests { get; set; }

    /// <summary>The build context root.</summary>
    [Required]
    public string Context { get; set; } = string.Empty;

    /// <summary>Full image references (StevedoreImageReference).</summary>
    public string[] Images { get; set; } = [];

    /// <summary>The build stage's image and the final stage's base image (ResolveContainerImages).</summary>
    public string[] BaseImages { get; set; } = [];

    /// <summary>ContainerRegistry: set means push.</summary>
    public string? Registry { get; set; }

    public string? ArchiveOutputPath { get; set; }

    public string? ImageFormat { get; set; }

    /// <summary>ResolveContainerCache's CacheSpecs items.</summary>
    public ITaskItem[] CacheSpecs { get; set; } = [];

    /// <summary>BuildKit secrets: Include = id, metadata Source = the file buildx reads.</summary>
    public ITaskItem[] Secrets { get; set; } = [];

    public string? Builder { get; set; }

    public string? Network { get; set; }

    /// <summary>The --progress mode (rawjson when the report is on).</summary>
    public string? Progress { get; set; }

    public string? Provenance { get; set; }

    public string? Sbom { get; set; }

    public string? SourceDateEpoch { get; set; }

    /// <summary>ContainerPushByDigest.</summary>
    public bool PushByDigest { get; set; }

    /// <summary>ContainerDigestDirectory (relative to <see cref="ProjectDirectory"/>): where a push by digest writes its digest file.</summary>
    public string? DigestDirectory { get; set; }

    public string? ProjectDirectory { get; set; }

    public string? BuildMode { get; set; }

    public string? BuildModeReason { get; set; }

    public string? OsPackageInstallMode { get; set; }

    public string? OsPackageInstallReason { get; set; }

    /// <summary>Generate's StepPlatforms: the platforms the generated Dockerfile runs steps on.</summary>
    public string[] StepPlatforms { get; set; } = [];

    /// <summary>Generate's ReadsNamed: every read of the generated Dockerfile is named exactly.</summary>
    public bool ReadsNamed { get; set; }

    /// <summary>Generate's ContextReads.</summary>
    public string[] ContextReads { get; set; } = [];

    /// <summary>Generate's ReadImages.</summary>
    public string[] ReadImages { get; set; } = [];

    /// <summary>obj/…/stevedore/: the build's files (metadata, progress, command lines, test results, report) go there.</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = string.Empty;

    /// <summary>The plan file, metadata Project: the one item Preflight, Test, Build, Bake and Report take.</summary>
    [Output]
    public ITaskItem? BuildPlan { get; private set; }

    protected override void Run()
    {
        var plan = Create();
        BuildPlanFile.Write(PlanFile, plan);
        BuildPlan = new TaskItem(PlanFile, new Dictionary<string, string> { ["Project"] = Project });
    }

    internal BuildPlan Create()
    {
        var platforms = PlatformItems.From(Platforms);
        var names = platforms.Select(p => p.ToString()).ToList();
        var folder = IntermediateDirectory;
        return new BuildPlan
        {
            Project = Project,
            Platforms = platforms,
            Dockerfile = Dockerfile,
            DockerfileGenerated = Generated,
            Context = Context,
            Images = Images,
            BaseImages = Generated ? BaseImages.Where(i => !string.IsNullOrWhiteSpace(i)).ToList() : [],
            Push = !string.IsNullOrWhiteSpace(Registry),
            Registry = Blank(Registry),
            ArchivePath = Blank(ArchiveOutputPath),
            ImageFormat = Blank(ImageFormat),
            CacheFrom = [.. CacheSpecs.Select(CacheSpecItems.From).Where(s => s.Direction == CacheDirection.From)],
            CacheTo = [.. CacheSpecs.Select(CacheSpecItems.From).Where(s => s.Direction == CacheDirection.To)],
            Secrets = [.. Secrets.Select(s => new PlanSecret(s.ItemSpec, s.GetMetadata("Source")))],
            Builder = Blank(Builder),
            Network = Blank(Network),
            Progress = Blank(Progress) ?? "plain",
            Provenance = Blank(Provenance),
            Sbom = Blank(Sbom),
            SourceDateEpoch = Blank(SourceDateEpoch),
            PushByDigest = PushByDigest,
            DigestFile = PushByDigest ? DigestFile(names) : null,
            BuildMode = Blank(BuildMode),
            BuildModeReason = Blank(BuildModeReason),
            OsPackageInstallMode = Blank(OsPackageInstallMode),
            OsPackageInstallReason = Blank(OsPackageInstallReason),
            StepPlatforms = Generated ? StepPlatforms : UserStepPlatforms(names),
            Reads = Generated && ReadsNamed ? new DockerfileReads(ContextReads, ReadImages) : null,
            Files = new PlanFiles
            {
                Metadata = Path.Combine(folder, "metadata.json"),
                Progress = Path.Combine(folder, "progress.rawjson"),
                CommandLine = Path.Combine(folder, "buildx-command.txt"),
                TestCommandLine = Path.Combine(folder, "buildx-test-command.txt"),
                TestResults = RunsTests ? Path.Combine(folder, "test-results") : null,
                ReportDirectory = folder,
            },
        };
    }

    // One digest file per project and platform set, for ContainerMergeDigests to find.
    private string DigestFile(IEnumerable<string> platforms)
    {
        var name = $"{Project}.{string.Join('+', platforms.Select(p => p.Replace('/', '-')))}.digest";
        var directory = Blank(DigestDirectory) ?? Path.Combine(IntermediateDirectory, "digests");
        return Path.GetFullPath(Path.Combine(ProjectDirectory ?? string.Empty, directory, name));
    }

    // A user's own Dockerfile is read, by the one tokenizer; unreadable or absent (the build reports that): every platform.
    private IReadOnlyList<string>? UserStepPlatforms(IReadOnlyList<string> platforms)
    {
        try
        {
            return File.Exists(Dockerfile) ? Engine.StepPlatforms.Find(File.ReadAllText(Dockerfile), platforms) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
