using Microsoft.Build.Framework;
using Stevedore.Tasks.Dockerfiles;

namespace Stevedore.Tasks.Options;

/// <summary>The final image's settings the generated Dockerfile uses: ports, environment, ENTRYPOINT and CMD, OS packages.</summary>
public sealed partial class CheckPublishOptions
{
    /// <summary>ContainerPort items: Include = number, metadata Type.</summary>
    public ITaskItem[] Ports { get; set; } = [];

    /// <summary>ContainerEnvironmentVariable items: Include = name.</summary>
    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    /// <summary>ContainerEntrypoint items and property.</summary>
    public string[] Entrypoint { get; set; } = [];

    /// <summary>ContainerEntrypointArgs items and property.</summary>
    public string[] EntrypointArgs { get; set; } = [];

    /// <summary>ContainerAppCommand items and property.</summary>
    public string[] AppCommand { get; set; } = [];

    /// <summary>ContainerAppCommandArgs items and property.</summary>
    public string[] AppCommandArgs { get; set; } = [];

    /// <summary>ContainerDefaultArgs items and property.</summary>
    public string[] DefaultArgs { get; set; } = [];

    /// <summary>ContainerAppCommandInstruction.</summary>
    public string? AppCommandInstruction { get; set; }

    /// <summary>ContainerOsPackage items.</summary>
    public ITaskItem[] OsPackages { get; set; } = [];

    /// <summary>ContainerOsPackageManager.</summary>
    public string? OsPackageManager { get; set; }

    /// <summary>ContainerOsPackageInstall.</summary>
    public string? OsPackageInstall { get; set; }

    // STV1009, STV1010, STV1030–STV1033, STV1202–STV1204; the base image's own package manager (STV1201) once it is resolved.
    private void CheckFinalImage()
    {
        // The user's own Dockerfile is built as written: these settings are not used.
        if (!string.IsNullOrWhiteSpace(Dockerfile))
        {
            return;
        }

        ContainerMetadata.Ports(Ports);
        ContainerMetadata.EnvironmentVariables(EnvironmentVariables);
        ContainerCommand.FromLists(Entrypoint, EntrypointArgs, AppCommand, AppCommandArgs, DefaultArgs, AppCommandInstruction).Check();
        OsPackageManagers.Check(OsPackages, OsPackageManager, OsPackageInstall);
    }
}
