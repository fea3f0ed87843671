using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Projects;

namespace Stevedore.Tasks.Dockerfiles;

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
    public string Configuration { get; set; } = "Release";

    /// <summary>Publish self-contained in the container.</summary>
    public bool SelfContained { get; set; }

    /// <summary>ContainerWorkingDirectory.</summary>
    public string WorkingDirectory { get; set; } = "/app";

    /// <summary>ContainerUser.</summary>
    public string User { get; set; } = "1654";

    /// <summary>BuildKit secrets the build needs (nuget.configs with credentials): Include = id, metadata Source = the host file.</summary>
    [Output]
    public ITaskItem[] Secrets { get; private set; } = [];

    protected override void Run()
    {
        var restoreInputs = RestoreInputs.Select(i => new RestoreInput(
            Enum.Parse<RestoreInputKind>(i.GetMetadata("Kind")), i.ItemSpec, i.GetMetadata("RelativePath"))).ToList();
        var secrets = Security.NuGetConfigSecret.FindIn(restoreInputs);
        var images = FromImages();
        var model = DotnetDockerfile.Create(new DotnetDockerfileInputs
        {
            BuildImage = images.Build,
            BaseImage = images.Base,
            ProjectPath = ProjectRelativePath,
            RestoreInputs = restoreInputs,
            SourceInputs = SourceInputs.Select(i => i.GetMetadata("RelativePath")).ToList(),
            Secrets = secrets,
            AssemblyName = AssemblyName,
            Configuration = string.IsNullOrWhiteSpace(Configuration) ? "Release" : Configuration,
            SelfContained = SelfContained,
            WorkingDirectory = WorkingDirectory,
            User = User,
            Syntax = SyntaxOrNull,
            Ports = ImagePorts(),
            EnvironmentVariables = ImageEnvironment(),
            Labels = ImageLabels(),
        });

        // The source copy must not pick up a file that is only ever a secret.
        WriteFiles(model, header => DockerIgnoreWriter.Write(header, secrets.Select(s => s.RelativePath)));
        Secrets = secrets.Select(s => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(s.Id, new Dictionary<string, string> { ["Source"] = s.FullPath })).ToArray();
    }
}
