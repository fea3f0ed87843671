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

    [Required]
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>ContainerPinBaseImages: write both FROM images as image:tag@sha256:…, resolved now from their registries (STV3102).</summary>
    public bool PinBaseImages { get; set; }

    /// <summary>ContainerDockerfileSyntax: the `# syntax=` image, or empty for none.</summary>
    public string? Syntax { get; set; }

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

    /// <summary>The files written or kept up to date (for FileWrites).</summary>
    [Output]
    public string[] GeneratedFiles { get; private set; } = [];

    /// <summary>Seam: how registries are reached when pinning; tests answer from memory.</summary>
    internal HttpMessageHandler? RegistryHandler { get; set; }

    /// <summary>The build image and the final base image, pinned to their digests when <see cref="PinBaseImages"/> is set.</summary>
    protected (string Build, string Base) FromImages()
    {
        if (!PinBaseImages)
        {
            return (BuildImage, BaseImage);
        }

        using var digests = RegistryHandler is null ? new Images.ManifestDigest() : new Images.ManifestDigest(RegistryHandler);
        return (digests.Pin(BuildImage, "ContainerBuildImage"), digests.Pin(BaseImage, "ContainerBaseImage"));
    }

    protected string? SyntaxOrNull => string.IsNullOrWhiteSpace(Syntax) ? null : Syntax.Trim();

    protected IReadOnlyList<ContainerPort> ImagePorts() => ContainerMetadata.Ports(Ports);

    protected IReadOnlyList<KeyValuePair<string, string>> ImageEnvironment() => ContainerMetadata.EnvironmentVariables(EnvironmentVariables);

    protected IReadOnlyList<KeyValuePair<string, string>> ImageLabels() => ContainerMetadata.Labels(Created, Revision, SourceUrl, Version, Labels);

    /// <summary>Writes <paramref name="model"/> and the ignore file (given the header to start with), generated or ejected.</summary>
    protected void WriteFiles(DockerfileModel model, Func<string, string> ignoreFileForHeader)
    {
        var header = GeneratedDockerfile.Header(Eject);
        GeneratedFiles = GeneratedDockerfile.Write(DockerfilePath, DockerfileWriter.Write(model, header), ignoreFileForHeader(header), Eject, Log);
    }
}
