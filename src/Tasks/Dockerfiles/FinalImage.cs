namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// The final stage every kind shares: its base image, working folder, user, ports, environment, labels and command.
/// A kind says only how its app gets in (<see cref="Stage"/>'s copyApp) and what starts it.
/// </summary>
internal sealed record FinalImage
{
    public required string BaseImage { get; init; }

    /// <summary>WORKDIR; null or empty keeps the base image's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The user the image ends as; each kind's default is non-root.</summary>
    public required string User { get; init; }

    public IReadOnlyList<ContainerPort> Ports { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables { get; init; } = [];

    /// <summary>Labels in the order given; OCI labels first.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    /// <summary>ENTRYPOINT and CMD from the SDK's ContainerAppCommand* / ContainerEntrypoint* / ContainerDefaultArgs.</summary>
    public ContainerCommand Command { get; init; } = ContainerCommand.Default;

    /// <summary>
    /// The `final` stage: <paramref name="declare"/> (build arguments the copies need), WORKDIR, the app's files,
    /// USER, ports, environment, labels, then the command that starts <paramref name="app"/>.
    /// </summary>
    public DockerfileStage Stage(Action<DockerfileStage> copyApp, IReadOnlyList<string> app, Action<DockerfileStage>? declare = null)
    {
        var final = new DockerfileStage(BaseImage, "final");
        declare?.Invoke(final);
        if (!string.IsNullOrWhiteSpace(WorkingDirectory))
        {
            final.Add("WORKDIR", WorkingDirectory);
        }

        copyApp(final);
        final.Add("USER", User);
        ContainerMetadata.AddTo(final, Ports, EnvironmentVariables, Labels);
        Command.AddTo(final, app);
        return final;
    }
}
