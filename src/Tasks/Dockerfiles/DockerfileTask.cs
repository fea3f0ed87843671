using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// What every Dockerfile-writing task shares, whatever the project kind: where the files go, eject, the images, the
/// final stage's ports, environment and labels, and writing the Dockerfile with its &lt;Dockerfile&gt;.dockerignore.
/// </summary>
public abstract class DockerfileTask : StevedoreTask
{
    /// <summary>
    /// What both kinds' targets pass alike, computed once (_StevedoreGenerateSetup): Include = <see cref="DockerfilePath"/>,
    /// metadata named as the parameters below (Eject, BuildImage, BaseImage, User, Entrypoint as a ';' list, …).
    /// </summary>
    public ITaskItem? Settings { get; set; }

    /// <summary>Where the Dockerfile goes; the ignore file is this path + ".dockerignore".</summary>
    public string DockerfilePath { get; set; } = string.Empty;

    /// <summary>Write user-owned files (no generated header) and refuse to replace anything (STV4003).</summary>
    public bool Eject { get; set; }

    public string BuildImage { get; set; } = string.Empty;

    /// <summary>The target platforms (StevedorePlatform items, parsed once by ResolveContainerImages); none: the host's.</summary>
    public ITaskItem[] Platforms { get; set; } = [];

    /// <summary>The target platforms, in order, from the items' metadata.</summary>
    private protected IReadOnlyList<Stevedore.Tasks.Platforms.ContainerPlatform> TargetPlatforms =>
        Platforms.Length > 0 ? Stevedore.Tasks.Platforms.PlatformItems.From(Platforms) : [Stevedore.Tasks.Platforms.ContainerPlatform.Host()];

    public string BaseImage { get; set; } = string.Empty;

    /// <summary>ContainerPinBaseImages: write both FROM images as image:tag@sha256:…, resolved now from their registries (STV3102).</summary>
    public bool PinBaseImages { get; set; }

    /// <summary>ContainerDockerfileSyntax: the `# syntax=` image, or empty for none.</summary>
    public string? Syntax { get; set; }

    /// <summary>ContainerUser: the user the image ends as (each kind's props give a non-root default).</summary>
    public string User { get; set; } = string.Empty;

    /// <summary>ContainerWorkingDirectory; empty keeps the base image's.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>ContainerPort items: Include = number, metadata Type = tcp|udp.</summary>
    public ITaskItem[] Ports { get; set; } = [];

    /// <summary>ContainerEnvironmentVariable items: Include = name, metadata Value.</summary>
    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    /// <summary>ContainerLabel items, in the order they are written: Include = name, metadata Value (the OCI labels among them, from _StevedoreGenerateSetup).</summary>
    public ITaskItem[] Labels { get; set; } = [];

    /// <summary>ContainerGenerateLabelsImageBaseDigest: org.opencontainers.image.base.digest after the labels, known only once the base image is pinned (as the SDK's GeneratedDigestLabel).</summary>
    public bool BaseImageDigestLabel { get; set; }

    /// <summary>ContainerEntrypoint items or ';' list (the SDK's older name).</summary>
    public string[] Entrypoint { get; set; } = [];

    /// <summary>ContainerEntrypointArgs.</summary>
    public string[] EntrypointArgs { get; set; } = [];

    /// <summary>ContainerAppCommand; empty: the app.</summary>
    public string[] AppCommand { get; set; } = [];

    /// <summary>ContainerAppCommandArgs.</summary>
    public string[] AppCommandArgs { get; set; } = [];

    /// <summary>ContainerDefaultArgs: the CMD.</summary>
    public string[] DefaultArgs { get; set; } = [];

    /// <summary>ContainerAppCommandInstruction: Entrypoint (default), DefaultArgs or None.</summary>
    public string? AppCommandInstruction { get; set; }

    /// <summary>The build context: its `.dockerignore`, if any, is merged into the generated one.</summary>
    public string? ContextDirectory { get; set; }

    /// <summary>The project folder: a `.dockerignore` there is merged too, rebased onto the context.</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>ContainerOsPackage items: Include = a package name (optionally name=version), installed in the final image.</summary>
    public ITaskItem[] OsPackages { get; set; } = [];

    /// <summary>ContainerOsPackageManager: apt, apk or tdnf for a base image whose name does not say; empty: from the name.</summary>
    public string? OsPackageManager { get; set; }

    /// <summary>ContainerOsPackageInstall: unpack (apt only, no emulation) or run; empty: unpack where it is correct.</summary>
    public string? OsPackageInstall { get; set; }

    /// <summary>How the OS packages were installed ("unpack" or "run"), empty without packages; for the build report.</summary>
    [Output]
    public string OsPackageInstallMode { get; private set; } = string.Empty;

    /// <summary>Why <see cref="OsPackageInstallMode"/>.</summary>
    [Output]
    public string OsPackageInstallReason { get; private set; } = string.Empty;

    /// <summary>The files written or kept up to date (for FileWrites).</summary>
    [Output]
    public string[] GeneratedFiles { get; private set; } = [];

    /// <summary>The target platforms on which the generated Dockerfile runs steps (an emulator is needed only there), from its model.</summary>
    [Output]
    public string[] StepPlatforms { get; private set; } = [];

    /// <summary>True when every context path and image the generated Dockerfile reads is named exactly (<see cref="DockerfileReads"/>).</summary>
    [Output]
    public bool ReadsNamed { get; private set; }

    /// <summary>The context paths the generated Dockerfile's COPY steps read, from its model.</summary>
    [Output]
    public string[] ContextReads { get; private set; } = [];

    /// <summary>The images the generated Dockerfile's stages start from, from its model.</summary>
    [Output]
    public string[] ReadImages { get; private set; } = [];

    protected sealed override void Run()
    {
        if (Settings is { } settings)
        {
            Apply(settings);
        }

        if (DockerfilePath.Length == 0 || BuildImage.Length == 0 || BaseImage.Length == 0 || User.Length == 0)
        {
            throw new InvalidOperationException("The Dockerfile's path, build image, base image and user must be given (Settings).");
        }

        Generate();
    }

    /// <summary>The kind's Dockerfile: its model, written with <see cref="WriteFiles"/>.</summary>
    protected abstract void Generate();

    private void Apply(ITaskItem settings)
    {
        string Text(string name) => settings.GetMetadata(name);
        string? Optional(string name) => Text(name) is { Length: > 0 } value ? value : null; // as MSBuild leaves an empty parameter unset
        bool Flag(string name) => bool.TryParse(Text(name).Trim(), out var value) && value;
        string[] List(string name) => Text(name).Split(';', StringSplitOptions.RemoveEmptyEntries);
        DockerfilePath = settings.ItemSpec;
        Eject = Flag(nameof(Eject));
        BuildImage = Text(nameof(BuildImage));
        BaseImage = Text(nameof(BaseImage));
        PinBaseImages = Flag(nameof(PinBaseImages));
        Syntax = Optional(nameof(Syntax));
        User = Text(nameof(User));
        WorkingDirectory = Optional(nameof(WorkingDirectory));
        BaseImageDigestLabel = Flag(nameof(BaseImageDigestLabel));
        Entrypoint = List(nameof(Entrypoint));
        EntrypointArgs = List(nameof(EntrypointArgs));
        AppCommand = List(nameof(AppCommand));
        AppCommandArgs = List(nameof(AppCommandArgs));
        DefaultArgs = List(nameof(DefaultArgs));
        AppCommandInstruction = Optional(nameof(AppCommandInstruction));
        OsPackageManager = Optional(nameof(OsPackageManager));
        OsPackageInstall = Optional(nameof(OsPackageInstall));
        ContextDirectory = Optional(nameof(ContextDirectory));
        ProjectDirectory = Optional(nameof(ProjectDirectory));
    }

    /// <summary>Seam: the docker CLI that resolves digests when pinning; tests answer from memory.</summary>
    internal Engine.DockerCli Docker { get; set; } = new();

    /// <summary>The build image and the final base image, pinned to their digests when <see cref="PinBaseImages"/> is set.</summary>
    private protected (string Build, string Base) FromImages()
    {
        if (!PinBaseImages)
        {
            return (BuildImage, BaseImage);
        }

        var digests = new Images.ImageDigest(Docker);
        return (digests.Pin(BuildImage, "ContainerBuildImage"), digests.Pin(BaseImage, "ContainerBaseImage"));
    }

    private protected string? SyntaxOrNull => string.IsNullOrWhiteSpace(Syntax) ? null : Syntax.Trim();

    /// <summary>The final stage's settings, on <paramref name="baseImage"/> as written (maybe pinned).</summary>
    private protected FinalImage Image(string baseImage) => new()
    {
        BaseImage = baseImage,
        WorkingDirectory = string.IsNullOrWhiteSpace(WorkingDirectory) ? null : WorkingDirectory.Trim(),
        User = User,
        Ports = ContainerMetadata.Ports(Ports),
        EnvironmentVariables = ContainerMetadata.EnvironmentVariables(EnvironmentVariables),
        Labels = ImageLabels(baseImage),
        Command = ImageCommand(),
    };

    /// <summary>The ContainerLabel items, then base.digest when asked and known; <paramref name="baseImage"/> is the final FROM image as written (maybe pinned).</summary>
    private IReadOnlyList<KeyValuePair<string, string>> ImageLabels(string baseImage) =>
        ContainerMetadata.Labels(Labels, BaseImageDigestLabel ? Images.ImageReference.Parse(baseImage, "ContainerBaseImage").Digest : null);

    /// <summary>ENTRYPOINT and CMD as the container properties ask.</summary>
    private ContainerCommand ImageCommand() =>
        ContainerCommand.FromLists(Entrypoint, EntrypointArgs, AppCommand, AppCommandArgs, DefaultArgs, AppCommandInstruction);

    // Every kind's final stage (the model's last) gets the ContainerOsPackage items.
    private void AddOsPackages(DockerfileModel model)
    {
        var packages = OsPackageManagers.Packages(OsPackages);
        if (packages.Count == 0)
        {
            return;
        }

        var manager = OsPackageManagers.For(model.Stages[^1].Image, OsPackageManager);
        var (mode, reason) = OsPackageManagers.Mode(manager, OsPackageInstall, packages);
        OsPackageStages.AddTo(model, new OsPackagePlan(packages, manager, mode, reason));
        OsPackageInstallMode = mode.ToString().ToLowerInvariant();
        OsPackageInstallReason = reason;
        Log.LogMessage(MessageImportance.Normal, "Stevedore: OS packages {0} installed with {1} ({2}: {3})",
            string.Join(", ", packages), manager.ToString().ToLowerInvariant(), OsPackageInstallMode, reason);
    }

    /// <summary>Writes <paramref name="model"/> and the ignore file (given the header to start with), generated or ejected.</summary>
    /// <param name="ejectArguments">What the ejected header's `docker buildx build` needs besides the platforms (e.g. secrets).</param>
    /// <param name="ejectNotes">Lines the ejected header adds: what the user changes before building without Stevedore.</param>
    private protected void WriteFiles(DockerfileModel model, Func<string, string> ignoreFileForHeader, string ejectArguments = "", params string[] ejectNotes)
    {
        AddOsPackages(model);
        var header = Eject
            ? GeneratedFileHeader.Ejected(Path.GetRelativePath(ContextDirectory ?? ".", DockerfilePath).Replace('\\', '/'), TargetPlatforms, ejectArguments, ejectNotes)
            : GeneratedFileHeader.Generated;
        var (userPatterns, skipped) = DockerIgnoreWriter.UserPatterns(ContextDirectory, ProjectDirectory);
        foreach (var file in skipped)
        {
            Log.LogWarningWithCodeFromResources("UserDockerIgnoreNotMerged", file);
        }

        var ignoreFile = ignoreFileForHeader(header) + userPatterns;
        var instructions = DockerfileInstructions.Of(model).ToList();
        StepPlatforms = [.. Engine.StepPlatforms.Find(instructions, [.. TargetPlatforms.Select(p => p.ToString())])];
        if (DockerfileReads.Parse(instructions) is { } reads)
        {
            (ReadsNamed, ContextReads, ReadImages) = (true, [.. reads.ContextPaths], [.. reads.Images]);
        }

        GeneratedFiles = GeneratedDockerfile.Write(DockerfilePath, DockerfileWriter.Write(model, header), ignoreFile, Eject, Log);
    }
}
