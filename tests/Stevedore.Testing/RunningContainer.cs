using System.Diagnostics;

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

    private bool restarted;

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
        List<string> arguments = ["run", "-d", "--pull", "always", "--network", "host", "--platform", platform, .. EnvironmentOptions(platform, environment), image];
        return Run(arguments, platform);
    }

    /// <summary>
    /// `docker run --rm --pull always --network none --platform <paramref name="platform"/> <paramref name="image"/>
    /// <paramref name="arguments"/>` to its end, returning its standard output. Emulated as <see cref="Start"/> is
    /// (DOTNET_EnableWriteXorExecute=0), and one more run when an emulated run does not end within
    /// <paramref name="patience"/> (see <see cref="RestartAfterHang"/>).
    /// </summary>
    public static string RunToEnd(string image, string platform, TimeSpan patience, params string[] arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var name = "stevedore-test-" + Guid.NewGuid().ToString("N")[..12];
            try
            {
                return CommandRunner.Run("docker", ["run", "--rm", "--name", name, "--pull", "always", "--network", "none", "--platform", platform,
                    .. EnvironmentOptions(platform, []), image, .. arguments], timeout: patience).EnsureSuccess().StdOut;
            }
            catch (TimeoutException e) when (attempt == 1 && platform != MachinePlatform)
            {
                Console.WriteLine($"{platform} run of {image} did not end within {patience} under QEMU; running it once more:\n{e.Message}");
            }
            finally
            {
                CommandRunner.Docker("rm", "-f", name);
            }
        }
    }

    /// <summary>`-e` options for <paramref name="environment"/>, plus <see cref="EmulatedJit"/> on a platform other than the machine's.</summary>
    private static IEnumerable<string> EnvironmentOptions(string platform, IEnumerable<string> environment)
    {
        var variables = environment.ToList();
        if (platform != MachinePlatform && !variables.Any(v => v.StartsWith(EmulatedJit.Split('=')[0] + "=", StringComparison.Ordinal)))
        {
            variables.Add(EmulatedJit);
        }

        return variables.SelectMany(variable => new[] { "-e", variable });
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

    /// <summary>
    /// .NET under QEMU is unsupported by .NET and, on a busy machine, now and then hangs as it starts: the process runs
    /// and never answers (seen in CI: the same arm64 image answers in ~12 s on a loaded machine otherwise).
    /// That is the emulator, not the image, so an emulated container that is still running gets one `docker restart`
    /// and <paramref name="patience"/> again. A native container, an exited one or a second hang fails the test.
    /// </summary>
    protected override bool RestartAfterHang(TimeSpan patience, Stopwatch clock)
    {
        if (restarted || Platform == MachinePlatform || !IsRunning())
        {
            return false;
        }

        restarted = true;
        Console.WriteLine($"{Name} was silent for {patience} under QEMU; restarting it once. Its log so far:\n{Logs()}");
        CommandRunner.Docker("restart", "-t", "1", Id).EnsureSuccess();
        clock.Restart();
        return true;
    }

    public override void Dispose() => CommandRunner.Docker("rm", "-f", Id);

    protected override bool IsRunning() =>
        CommandRunner.Docker("inspect", "-f", "{{.State.Running}}", Id).StdOut.Trim() == "true";
}
