using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Projects;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// Writes the .NET Dockerfile and its &lt;Dockerfile&gt;.dockerignore: generated (header-marked, rewritten only
/// when changed, never over a person's file) or, with <see cref="Eject"/>, as new user-owned files.
/// </summary>
public sealed class GenerateDockerfile : StevedoreTask
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

    /// <summary>The project relative to the build context root.</summary>
    [Required]
    public string ProjectRelativePath { get; set; } = string.Empty;

    /// <summary>From ResolveRestoreInputs: metadata Kind and RelativePath, already in COPY order.</summary>
    public ITaskItem[] RestoreInputs { get; set; } = [];

    /// <summary>The apphost the entrypoint starts.</summary>
    [Required]
    public string AssemblyName { get; set; } = string.Empty;

    /// <summary>Configuration the container publishes with.</summary>
    public string Configuration { get; set; } = "Release";

    /// <summary>Publish self-contained in the container.</summary>
    public bool SelfContained { get; set; }

    /// <summary>ContainerWorkingDirectory.</summary>
    public string WorkingDirectory { get; set; } = "/app";

    /// <summary>ContainerUser.</summary>
    public string User { get; set; } = "1654";

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

    protected override void Run()
    {
        var model = DotnetDockerfile.Create(new DotnetDockerfileInputs
        {
            BuildImage = BuildImage,
            BaseImage = BaseImage,
            ProjectPath = ProjectRelativePath,
            RestoreInputs = RestoreInputs.Select(i => new RestoreInput(
                Enum.Parse<RestoreInputKind>(i.GetMetadata("Kind")), i.ItemSpec, i.GetMetadata("RelativePath"))).ToList(),
            AssemblyName = AssemblyName,
            Configuration = string.IsNullOrWhiteSpace(Configuration) ? "Release" : Configuration,
            SelfContained = SelfContained,
            WorkingDirectory = WorkingDirectory,
            User = User,
            Syntax = string.IsNullOrWhiteSpace(Syntax) ? null : Syntax.Trim(),
            Ports = ContainerMetadata.Ports(Ports),
            EnvironmentVariables = ContainerMetadata.EnvironmentVariables(EnvironmentVariables),
            Labels = ContainerMetadata.Labels(Created, Revision, SourceUrl, Version, Labels),
        });

        var header = GeneratedDockerfile.Header(Eject);
        GeneratedFiles = GeneratedDockerfile.Write(DockerfilePath, DockerfileWriter.Write(model, header), DockerIgnoreWriter.Write(header, []), Eject, Log);
    }
}
