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
        var labels = new List<KeyValuePair<string, string>>();
        AddLabel(labels, "org.opencontainers.image.created", Created);
        AddLabel(labels, "org.opencontainers.image.revision", Revision);
        AddLabel(labels, "org.opencontainers.image.source", SourceUrl);
        AddLabel(labels, "org.opencontainers.image.version", Version);
        labels.AddRange(Labels.Select(l => new KeyValuePair<string, string>(l.ItemSpec, l.GetMetadata("Value"))));

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
            Ports = Ports.Select(p => DotnetDockerfile.ParsePort(p.ItemSpec, p.GetMetadata("Type"))).ToList(),
            EnvironmentVariables = EnvironmentVariables
                .Select(e => new KeyValuePair<string, string>(DotnetDockerfile.ValidateEnvironmentVariableName(e.ItemSpec), e.GetMetadata("Value")))
                .ToList(),
            Labels = labels,
        });

        var header = Eject ? GeneratedFileHeader.Ejected : GeneratedFileHeader.Generated;
        var dockerfile = DockerfileWriter.Write(model, header);
        var ignore = DockerIgnoreWriter.Write(header, []);
        var ignorePath = DockerfilePath + ".dockerignore";
        if (Eject)
        {
            // Check both first, so a refusal leaves nothing half-ejected.
            foreach (var path in new[] { DockerfilePath, ignorePath }.Where(File.Exists))
            {
                throw new DiagnosticException("EjectTargetExists", path);
            }

            GeneratedFile.WriteNew(DockerfilePath, dockerfile);
            GeneratedFile.WriteNew(ignorePath, ignore);
            Log.LogMessage(MessageImportance.High, "Stevedore: ejected {0} and {1}; set ContainerDockerfile to build with them.", DockerfilePath, ignorePath);
        }
        else
        {
            // Check both first, so a refusal leaves nothing half-written.
            foreach (var path in new[] { DockerfilePath, ignorePath }.Where(p => File.Exists(p) && !GeneratedFileHeader.IsGenerated(File.ReadAllText(p))))
            {
                throw new DiagnosticException("WouldOverwriteUserFile", path);
            }

            var written = GeneratedFile.WriteIfChanged(DockerfilePath, dockerfile) | GeneratedFile.WriteIfChanged(ignorePath, ignore);
            Log.LogMessage(MessageImportance.Normal, written ? "Stevedore: wrote {0}" : "Stevedore: {0} is up to date", DockerfilePath);
        }

        GeneratedFiles = [DockerfilePath, ignorePath];
    }

    private static void AddLabel(List<KeyValuePair<string, string>> labels, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            labels.Add(new(name, value.Trim()));
        }
    }
}
