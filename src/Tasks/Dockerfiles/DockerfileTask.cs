using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// What every Dockerfile-writing task shares, whatever the project kind: where the files go, eject, the images, the
/// final stage's ports, environment and labels, and writing the Dockerfile with its &lt;Dockerfile&gt;.dockerignore.
/// </summary>
public abstract class DockerfileTask : StevedoreTask
{
    /// <summary>Where the Dockerfile goes; the ignore file is this path + ".dockerignore".</summary>
    [Required]
    public string DockerfilePath { get; set; } = string.Empty;

    /// <summary>Write user-owned files (no generated header) and refuse to replace anything (STV4003).</summary>
    public bool Eject { get; set; }

    [Required]
    public string BuildImage { get; set; } = string.Empty;

    /// <summary>The normalized target platforms (StevedorePlatforms).</summary>
    public string? Platforms { get; set; }

    [Required]
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>ContainerPinBaseImages: write both FROM images as image:tag@sha256:…, resolved now from their registries (STV3102).</summary>
    public bool PinBaseImages { get; set; }

    /// <summary>ContainerDockerfileSyntax: the `# syntax=` image, or empty for none.</summary>
    public string? Syntax { get; set; }

    /// <summary>ContainerUser: the user the image ends as (each kind's props give a non-root default).</summary>
    [Required]
    public string User { get; set; } = string.Empty;

    /// <summary>ContainerWorkingDirectory; empty keeps the base image's.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>ContainerPort items: Include = number, metadata Type = tcp|udp.</summary>
    public ITaskItem[] Ports { get; set; } = [];

    /// <summary>ContainerEnvironmentVariable items: Include = name, metadata Value.</summary>
    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    /// <summary>ContainerLabel items: Include = name, metadata Value; they follow the OCI labels.</summary>
    public ITaskItem[] Labels { get; set; } = [];

    /// <summary>org.opencontainers.image.source; omitted when empty.</summary>
    public string? SourceUrl { get; set; }

    /// <summary>org.opencontainers.image.revision; omitted when empty.</summary>
    public string? Revision { get; set; }

    /// <summary>org.opencontainers.image.version; omitted when empty.</summary>
    public string? Version { get; set; }

    /// <summary>org.opencontainers.image.created; omitted when empty (a clock would make output non-deterministic).</summary>
    public string? Created { get; set; }

    /// <summary>org.opencontainers.image.title (ContainerTitle); omitted when empty.</summary>
    public string? Title { get; set; }

    /// <summary>org.opencontainers.image.description and org.opencontainers.artifact.description (ContainerDescription), as the SDK writes both.</summary>
    public string? Description { get; set; }

    /// <summary>org.opencontainers.image.authors (ContainerAuthors).</summary>
    public string? Authors { get; set; }

    /// <summary>org.opencontainers.image.vendor (ContainerVendor).</summary>
    public string? Vendor { get; set; }

    /// <summary>org.opencontainers.image.licenses (ContainerLicenseExpression).</summary>
    public string? LicenseExpression { get; set; }

    /// <summary>org.opencontainers.image.documentation (ContainerDocumentationUrl).</summary>
    public string? DocumentationUrl { get; set; }

    /// <summary>org.opencontainers.image.url (ContainerInformationUrl).</summary>
    public string? InformationUrl { get; set; }

    /// <summary>ContainerGenerateLabelsImageBaseName: org.opencontainers.image.base.name = the final base image (without its digest).</summary>
    public bool BaseImageNameLabel { get; set; }

    /// <summary>ContainerGenerateLabelsImageBaseDigest: org.opencontainers.image.base.digest, known only when the base image is pinned.</summary>
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

    /// <summary>The OCI labels of the image; <paramref name="baseImage"/> is the final FROM image as written (maybe pinned).</summary>
    private IReadOnlyList<KeyValuePair<string, string>> ImageLabels(string baseImage)
    {
        var reference = Images.ImageReference.Parse(baseImage, "ContainerBaseImage");
        return ContainerMetadata.Labels(new Dictionary<string, string?>
        {
            ["org.opencontainers.image.created"] = Created,
            ["org.opencontainers.image.revision"] = Revision,
            ["org.opencontainers.image.source"] = SourceUrl,
            ["org.opencontainers.image.version"] = Version,
            ["org.opencontainers.image.title"] = Title,
            ["org.opencontainers.image.description"] = Description,
            ["org.opencontainers.artifact.description"] = Description,
            ["org.opencontainers.image.authors"] = Authors,
            ["org.opencontainers.image.vendor"] = Vendor,
            ["org.opencontainers.image.licenses"] = LicenseExpression,
            ["org.opencontainers.image.documentation"] = DocumentationUrl,
            ["org.opencontainers.image.url"] = InformationUrl,
            ["org.opencontainers.image.base.name"] = BaseImageNameLabel ? (reference with { Digest = null }).ToString() : null,
            ["org.opencontainers.image.base.digest"] = BaseImageDigestLabel ? reference.Digest : null,
        }, Labels);
    }

    /// <summary>ENTRYPOINT and CMD as the container properties ask.</summary>
    private ContainerCommand ImageCommand() => new()
    {
        EntrypointCommand = Words(Entrypoint),
        EntrypointArgs = Words(EntrypointArgs),
        AppCommand = Words(AppCommand),
        AppCommandArgs = Words(AppCommandArgs),
        DefaultArguments = Words(DefaultArgs),
        Instruction = AppCommandInstruction,
    };

    // Items, or a ';' list from the command line; one argument each, spaces kept.
    private static IReadOnlyList<string> Words(string[] values) =>
        values.SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries)).Where(v => v.Trim().Length > 0).ToList();

    // Every kind's final stage (the model's last) gets the ContainerOsPackage items.
    private void AddOsPackages(DockerfileModel model)
    {
        var packages = OsPackages.Select(p => p.ItemSpec.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal)
            .Select(OsPackageManagers.ValidateName).ToList();
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
            ? GeneratedFileHeader.Ejected(Path.GetRelativePath(ContextDirectory ?? ".", DockerfilePath).Replace('\\', '/'), Stevedore.Tasks.Platforms.ContainerPlatform.ParseList(Platforms), ejectArguments, ejectNotes)
            : GeneratedFileHeader.Generated;
        var (userPatterns, skipped) = DockerIgnoreWriter.UserPatterns(ContextDirectory, ProjectDirectory);
        foreach (var file in skipped)
        {
            Log.LogWarningWithCodeFromResources("UserDockerIgnoreNotMerged", file);
        }

        var ignoreFile = ignoreFileForHeader(header) + userPatterns;
        var instructions = DockerfileInstructions.Of(model).ToList();
        StepPlatforms = [.. Engine.StepPlatforms.Find(instructions, [.. Stevedore.Tasks.Platforms.ContainerPlatform.ParseList(Platforms).Select(p => p.ToString())])];
        if (DockerfileReads.Parse(instructions) is { } reads)
        {
            (ReadsNamed, ContextReads, ReadImages) = (true, [.. reads.ContextPaths], [.. reads.Images]);
        }

        GeneratedFiles = GeneratedDockerfile.Write(DockerfilePath, DockerfileWriter.Write(model, header), ignoreFile, Eject, Log);
    }
}
