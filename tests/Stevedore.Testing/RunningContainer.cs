namespace Stevedore.Testing;

/// <summary>A detached container on the host network; disposing removes it.</summary>
public sealed class RunningContainer : RunningApp
{
    private RunningContainer(string id, string platform)
    {
        Id = id;
        Platform = platform;
    }

    private const string EmulatedJit = "DOTNET_EnableWriteXorExecute=0";

    /// <summary>The machine's own platform, e.g. linux/amd64: its containers run natively.</summary>
    public static string MachinePlatform => "linux/" + (System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64");

    public string Id { get; }

    public string Platform { get; }

    public override string Name => $"{Platform} container {Id[..12]}";

    /// <summary>
    /// `docker run -d --network host --platform …` (always pulling: the tag may hold another platform locally). A platform
    /// other than the machine's runs under QEMU, where .NET's W^X double mapping makes JIT-compiled code fail at random
    /// (NullReferenceException in regex or middleware code, more often the busier the machine): such a container gets
    /// DOTNET_EnableWriteXorExecute=0, as the READMEs tell users to run an emulated image. A Go app ignores it.
    /// </summary>
    public static RunningContainer Start(string image, string platform, IEnumerable<string> environment)
    {
        var arguments = new List<string> { "run", "-d", "--pull", "always", "--network", "host", "--platform", platform };
        var variables = environment.ToList();
        if (platform != MachinePlatform && !variables.Any(v => v.StartsWith(EmulatedJit.Split('=')[0] + "=", StringComparison.Ordinal)))
        {
            variables.Add(EmulatedJit);
        }

        foreach (var variable in variables)
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
