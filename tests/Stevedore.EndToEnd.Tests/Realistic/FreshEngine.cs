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

    private FreshEngine(Process dockerd, StreamWriter log, string root, string host, bool tls)
    {
        this.dockerd = dockerd;
        this.log = log;
        this.root = root;
        Host = host;
        Tls = tls;
    }

    /// <summary>unix:///… of its API socket, or tcp://127.0.0.1:port when it listens with TLS.</summary>
    public string Host { get; }

    /// <summary>It listens on TCP with TLS and verifies clients (certificates made by the test, in CertPath).</summary>
    public bool Tls { get; }

    /// <summary>ca.pem, cert.pem and key.pem of a client the engine trusts (DOCKER_CERT_PATH).</summary>
    public string CertPath => Path.Combine(root, "client");

    /// <summary>What a `dotnet publish` (Stevedore's preflight and buildx alike) needs to build on this engine.</summary>
    public IDictionary<string, string?> Environment => Tls
        ? new Dictionary<string, string?> { ["DOCKER_HOST"] = Host, ["DOCKER_TLS_VERIFY"] = "1", ["DOCKER_CERT_PATH"] = CertPath }
        : new Dictionary<string, string?> { ["DOCKER_HOST"] = Host };

    /// <param name="tls">
    /// Listen on tcp://127.0.0.1:&lt;free port&gt; with TLS and client verification, as a GitLab dind service does, with a
    /// CA, server and client certificate made here by openssl; otherwise on a unix socket of its own.
    /// </param>
    public static FreshEngine Start(bool tls = false)
    {
        // Short: a unix socket path has at most 107 bytes, and containerd's socket lives below exec-root.
        var root = Path.Combine(Path.GetTempPath(), "stv-fresh-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var host = tls ? $"tcp://127.0.0.1:{RunningApp.FreePort()}" : $"unix://{root}/docker.sock";
        var tlsSettings = tls
            ? $$"""
                , "tlsverify": true, "tlscacert": "{{root}}/client/ca.pem", "tlscert": "{{root}}/server-cert.pem", "tlskey": "{{root}}/server-key.pem"
              """
            : string.Empty;
        if (tls)
        {
            MakeCertificates(root);
        }

        File.WriteAllText(Path.Combine(root, "daemon.json"), $$"""
            {
              "features": { "containerd-snapshotter": true },
              "bridge": "none", "iptables": false, "ip6tables": false, "ip-forward": false, "ip-masq": false,
              "data-root": "{{root}}/data", "exec-root": "{{root}}/exec", "pidfile": "{{root}}/dockerd.pid",
              "hosts": ["{{host}}"]{{tlsSettings}}
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
        var engine = new FreshEngine(process, log, root, host, tls);

        var clock = Stopwatch.StartNew();
        while (CommandRunner.Run("docker", ["info", "--format", "{{.ServerVersion}}"], environment: engine.Environment, timeout: TimeSpan.FromSeconds(20)).ExitCode != 0)
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

    // A CA, a server certificate for 127.0.0.1 and a client certificate, as `docker` expects them in DOCKER_CERT_PATH.
    private static void MakeCertificates(string root)
    {
        var client = Directory.CreateDirectory(Path.Combine(root, "client")).FullName;
        File.WriteAllText(Path.Combine(root, "server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        File.WriteAllText(Path.Combine(root, "client.ext"), "extendedKeyUsage=clientAuth\n");
        string[][] steps =
        [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=stevedore-test-ca", "-keyout", $"{root}/ca-key.pem", "-out", $"{client}/ca.pem"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", $"{root}/server-key.pem", "-out", $"{root}/server.csr"],
            ["x509", "-req", "-days", "2", "-in", $"{root}/server.csr", "-CA", $"{client}/ca.pem", "-CAkey", $"{root}/ca-key.pem", "-CAcreateserial", "-extfile", $"{root}/server.ext", "-out", $"{root}/server-cert.pem"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=stevedore-test-client", "-keyout", $"{client}/key.pem", "-out", $"{root}/client.csr"],
            ["x509", "-req", "-days", "2", "-in", $"{root}/client.csr", "-CA", $"{client}/ca.pem", "-CAkey", $"{root}/ca-key.pem", "-CAcreateserial", "-extfile", $"{root}/client.ext", "-out", $"{client}/cert.pem"],
        ];
        foreach (var step in steps)
        {
            CommandRunner.Run("openssl", step, root).EnsureSuccess();
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
