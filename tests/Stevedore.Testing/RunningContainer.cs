namespace Stevedore.Testing;

/// <summary>A detached container on the host network; disposing removes it.</summary>
public sealed class RunningContainer : RunningApp
{
    private RunningContainer(string id, string platform)
    {
        Id = id;
        Platform = platform;
    }

    public string Id { get; }

    public string Platform { get; }

    public override string Name => $"{Platform} container {Id[..12]}";

    /// <summary>`docker run -d --network host --platform …` (always pulling: the tag may hold another platform locally).</summary>
    public static RunningContainer Start(string image, string platform, IEnumerable<string> environment)
    {
        var arguments = new List<string> { "run", "-d", "--pull", "always", "--network", "host", "--platform", platform };
        foreach (var variable in environment)
        {
            arguments.AddRange(["-e", variable]);
        }

        arguments.Add(image);
        return Run(arguments, platform);
    }

    /// <summary>`docker <paramref name="arguments"/>`, a `run -d` command line as written (e.g. in a README), for a <paramref name="platform"/> image.</summary>
    public static RunningContainer Run(IReadOnlyList<string> arguments, string platform)
    {
        var id = CommandRunner.Docker([.. arguments]).EnsureSuccess().StdOut.Trim();
        return new RunningContainer(id, platform);
    }

    /// <summary>`docker cp` of <paramref name="path"/> in the container to <paramref name="destination"/> on the host (no shell needed in the image).</summary>
    public void CopyOut(string path, string destination) => CommandRunner.Docker("cp", $"{Id}:{path}", destination).EnsureSuccess();

    public override string Logs() => CommandRunner.Docker("logs", Id).Output;

    public override void Dispose() => CommandRunner.Docker("rm", "-f", Id);

    protected override bool IsRunning() =>
        CommandRunner.Docker("inspect", "-f", "{{.State.Running}}", Id).StdOut.Trim() == "true";
}
