using System.Diagnostics;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Realistic;

/// <summary>
/// A second dockerd of the test's own (its own data-root, exec-root and socket, same binaries and daemon settings as
/// eng/engine.sh), so its BuildKit starts with an empty build cache: a fresh CI builder, without pruning the shared
/// engine's cache that other builds rely on. Pass <see cref="Environment"/> to a publish to build on it; disposing
/// stops it (SIGTERM, then its whole process tree) and deletes its folder.
/// </summary>
public sealed class FreshEngine : IDisposable
{
    private readonly Process dockerd;
    private readonly StreamWriter log;
    private readonly string root;

    private FreshEngine(Process dockerd, StreamWriter log, string root)
    {
        this.dockerd = dockerd;
        this.log = log;
        this.root = root;
    }

    /// <summary>unix:///… of its API socket.</summary>
    public string Host => $"unix://{Path.Combine(root, "docker.sock")}";

    /// <summary>What a `dotnet publish` (Stevedore's preflight and buildx alike) needs to build on this engine.</summary>
    public IDictionary<string, string?> Environment => new Dictionary<string, string?> { ["DOCKER_HOST"] = Host };

    public static FreshEngine Start()
    {
        // Short: a unix socket path has at most 107 bytes, and containerd's socket lives below exec-root.
        var root = Path.Combine(Path.GetTempPath(), "stv-fresh-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "daemon.json"), $$"""
            {
              "features": { "containerd-snapshotter": true },
              "bridge": "none", "iptables": false, "ip6tables": false, "ip-forward": false, "ip-masq": false,
              "data-root": "{{root}}/data", "exec-root": "{{root}}/exec", "pidfile": "{{root}}/dockerd.pid",
              "hosts": ["unix://{{root}}/docker.sock"]
            }
            """);
        var tools = ToolsBin();
        var psi = new ProcessStartInfo(Path.Combine(tools, "dockerd"), ["--config-file", Path.Combine(root, "daemon.json")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["PATH"] = tools + ":" + System.Environment.GetEnvironmentVariable("PATH");
        var log = new StreamWriter(Path.Combine(root, "dockerd.log")) { AutoFlush = true };
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var engine = new FreshEngine(process, log, root);

        var clock = Stopwatch.StartNew();
        while (CommandRunner.Run("docker", ["-H", engine.Host, "info", "--format", "{{.ServerVersion}}"], timeout: TimeSpan.FromSeconds(20)).ExitCode != 0)
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                engine.Dispose();
                throw new InvalidOperationException($"A second dockerd did not start within 60 s; its log was in {root}/dockerd.log.");
            }

            Thread.Sleep(500);
        }

        return engine;
    }

    /// <summary>How many build cache records its BuildKit holds (none on a fresh engine).</summary>
    public int BuildCacheRecords() =>
        CommandRunner.Run("docker", ["buildx", "du", "--verbose"], environment: Environment).EnsureSuccess().StdOut
            .Split('\n').Count(l => l.StartsWith("ID:", StringComparison.Ordinal));

    public void Dispose()
    {
        if (!dockerd.HasExited)
        {
            CommandRunner.Run("kill", ["-TERM", dockerd.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (!dockerd.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                dockerd.Kill(entireProcessTree: true);
                dockerd.WaitForExit();
            }
        }

        dockerd.Dispose();
        lock (log)
        {
            log.Dispose();
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A mount left behind: the folder stays in the temp folder; nothing else depends on it.
        }
    }

    // dockerd, containerd, runc's shim and docker-init as eng/tools.sh installs them (or a system-wide dockerd).
    private static string ToolsBin()
    {
        var home = System.Environment.GetEnvironmentVariable("STEVEDORE_HOME") is { Length: > 0 } h
            ? h
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache", "stevedore");
        var bin = Path.Combine(home, "tools", "bin");
        if (File.Exists(Path.Combine(bin, "dockerd")))
        {
            return bin;
        }

        var onPath = (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "dockerd")));
        return onPath ?? throw new InvalidOperationException($"No dockerd in {bin} or on PATH: run `eng/engine.sh up`.");
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }
}
