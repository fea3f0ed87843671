using System.Text.RegularExpressions;
using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>
/// dockerd stops (SIGTERM) while buildx runs a RUN step: the publish ends with one coded error and no stack trace, and
/// no buildx process of the build is left. The engine is always brought back (eng/engine.sh up with the STEVEDORE_HOME
/// it came from), because every later test needs it.
/// </summary>
[TestClass]
[DoNotParallelize]
[EngineWide]
public sealed partial class EngineStopTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void EngineStoppedDuringTheBuildEndsWithOneCodedError()
    {
        var sample = new DotNetSample("engine-stop");
        // A source no earlier build saw: the publish RUN step really runs when the engine stops.
        sample.Edit("src/Greetings/Greeter.cs", code => code.Replace(" ships ", $" ships {sample.Tag} "));
        var engine = RunningEngine.Find();
        try
        {
            using var publish = BackgroundPublish.Start(sample);
            Assert.IsTrue(
                publish.WaitUntil(() => BuildProcesses.BuildxRuns(sample.Root) && PublishStep().IsMatch(publish.Output), TimeSpan.FromMinutes(10)),
                $"the build never ran its publish step:\n{publish.Output}");
            engine.Stop();

            Assert.IsTrue(publish.WaitForExit(TimeSpan.FromMinutes(3)), $"dotnet publish still runs 3 minutes after the engine stopped:\n{publish.Output}");
            Assert.AreNotEqual(0, publish.ExitCode, $"a publish whose engine stopped must fail:\n{publish.Output}");
            var errors = StvError().Matches(publish.Output).Select(m => m.Value.Trim()).Distinct().ToList();
            Assert.HasCount(1, errors, $"exactly one coded error (MSBuild repeats it in its summary):\n{publish.Output}");
            StringAssert.StartsWith(errors[0], "error STV2005: ", "the engine-lost error, not the generic buildx one");
            Assert.DoesNotContain("   at ", publish.Output, "no stack trace");
            Assert.DoesNotContain("Unhandled exception", publish.Output);
            Assert.IsTrue(
                publish.WaitUntil(() => BuildProcesses.Of(sample.Root).Count == 0, TimeSpan.FromSeconds(30)) || BuildProcesses.Of(sample.Root).Count == 0,
                $"buildx outlived the failed publish:\n{string.Join('\n', BuildProcesses.Of(sample.Root))}");
        }
        finally
        {
            engine.BringBack();
        }
    }

    // The step waits for a core slot first (CoreSlots), so its command comes after the wait on the same line.
    [GeneratedRegex(@"\] RUN --network=none [^\r\n]*dotnet msbuild \S+ -t:StevedorePublishPlatforms ")]
    private static partial Regex PublishStep();

    [GeneratedRegex(@"error STV\d{4}: [^\r\n]*")]
    private static partial Regex StvError();

    /// <summary>The running dockerd and the STEVEDORE_HOME whose eng/engine.sh started it (from its --config-file).</summary>
    private sealed record RunningEngine(int Pid, string Home)
    {
        public static RunningEngine Find()
        {
            var pgrep = CommandRunner.Run("pgrep", ["-x", "dockerd"]).EnsureSuccess();
            var pid = pgrep.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).Single();
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            var index = Array.IndexOf(arguments, "--config-file");
            Assert.IsTrue(index >= 0 && index + 1 < arguments.Length, $"dockerd {pid} was not started by eng/engine.sh: {string.Join(' ', arguments)}");
            var state = Path.GetDirectoryName(arguments[index + 1])!;
            var home = Path.GetDirectoryName(state)!;
            var pidFile = Path.Combine(state, "dockerd.pid");
            Assert.AreEqual(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(pidFile).Trim(), $"{pidFile} does not name the running dockerd");
            return new RunningEngine(pid, home);
        }

        /// <summary>SIGTERM to dockerd, as `systemctl stop docker` does; waits until it is gone.</summary>
        public void Stop()
        {
            CommandRunner.Run("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).EnsureSuccess();
            var end = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (Directory.Exists($"/proc/{Pid}") && DateTime.UtcNow < end)
            {
                Thread.Sleep(100);
            }
        }

        /// <summary>eng/engine.sh up with the same STEVEDORE_HOME, then waits until docker info and the registry answer.</summary>
        public void BringBack()
        {
            var up = CommandRunner.Run("bash", [Repo.Path("eng", "engine.sh"), "up"], environment: new Dictionary<string, string?> { ["STEVEDORE_HOME"] = Home }, timeout: TimeSpan.FromMinutes(5));
            var end = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            while (true)
            {
                var info = CommandRunner.Run("docker", ["info", "--format", "{{.ServerVersion}}"], timeout: TimeSpan.FromSeconds(30));
                var registry = false;
                try
                {
                    registry = http.GetAsync($"http://{Repo.Registry}/v2/").GetAwaiter().GetResult().IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }

                if (info.ExitCode == 0 && registry)
                {
                    return;
                }

                if (DateTime.UtcNow > end)
                {
                    throw new InvalidOperationException($"the engine did not come back (STEVEDORE_HOME={Home}):\n{up.Output}\n{info.Output}");
                }

                Thread.Sleep(500);
            }
        }
    }
}
