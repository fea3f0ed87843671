using System.Diagnostics;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests;

/// <summary>
/// A second dockerd of the test's own on this machine, as eng/engine.sh starts the main one (containerd image store,
/// no bridge) but with its own data-root, exec-root, pid file and unix socket, and a docker context (a buildx builder
/// with the docker driver) of the same name pointing at it. Disposing removes the context, stops the daemon and
/// deletes its folder.
/// </summary>
public sealed class SecondEngine : IDisposable
{
    private readonly string folder;
    private readonly Process daemon;

    private SecondEngine(string folder, Process daemon, string name)
    {
        this.folder = folder;
        this.daemon = daemon;
        Name = name;
    }

    /// <summary>The docker context and buildx builder name.</summary>
    public string Name { get; }

    public string Socket => Path.Combine(folder, "docker.sock");

    public static SecondEngine Start()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        // Short: a unix socket path has a ~100 character limit.
        var folder = Path.Combine("/tmp", "stv-engine-" + id);
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        Directory.CreateDirectory(Path.Combine(folder, "exec"));
        File.WriteAllText(Path.Combine(folder, "daemon.json"), $$"""
            {
              "features": { "containerd-snapshotter": true },
              "bridge": "none", "iptables": false, "ip6tables": false, "ip-forward": false, "ip-masq": false,
              "data-root": "{{folder}}/data", "exec-root": "{{folder}}/exec", "pidfile": "{{folder}}/dockerd.pid",
              "hosts": ["unix://{{folder}}/docker.sock"]
            }
            """);

        // The engine's tools (dockerd, containerd, runc) are where eng/engine.sh put them.
        var home = Environment.GetEnvironmentVariable("STEVEDORE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "stevedore");
        var tools = Path.Combine(home, "tools", "bin");
        var start = new ProcessStartInfo(Path.Combine(tools, "dockerd"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--config-file");
        start.ArgumentList.Add(Path.Combine(folder, "daemon.json"));
        start.Environment["PATH"] = tools + ":" + Environment.GetEnvironmentVariable("PATH");
        var daemon = Process.Start(start) ?? throw new InvalidOperationException("dockerd did not start");
        var log = Path.Combine(folder, "dockerd.log");
        daemon.OutputDataReceived += (_, e) => Append(log, e.Data);
        daemon.ErrorDataReceived += (_, e) => Append(log, e.Data);
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();

        var name = "stevedore-test-" + id;
        var engine = new SecondEngine(folder, daemon, name);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (CommandRunner.Docker("-H", "unix://" + engine.Socket, "info", "--format", "{{.ServerVersion}}").ExitCode != 0)
            {
                if (daemon.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException("The second dockerd did not answer: " + (File.Exists(log) ? File.ReadAllText(log) : "no log"));
                }

                Thread.Sleep(500);
            }

            CommandRunner.Docker("context", "create", name, "--docker", "host=unix://" + engine.Socket).EnsureSuccess();
            return engine;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        CommandRunner.Docker("context", "rm", "-f", Name);
        if (!daemon.HasExited)
        {
            // SIGTERM: dockerd stops its containerd and unmounts its snapshots.
            CommandRunner.Run("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (!daemon.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                daemon.Kill(entireProcessTree: true);
                daemon.WaitForExit();
            }
        }

        daemon.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A mount the daemon left behind; the folder is in /tmp and named after this test's engine.
        }
    }

    private static void Append(string log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                File.AppendAllText(log, line + "\n");
            }
        }
    }
}
