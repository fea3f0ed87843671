using System.Diagnostics;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>
/// A registry of the test's own (the engine's docker-registry binary on a free 127.0.0.1 port, storage in a temp
/// folder), so a test can stop and kill it; the shared 127.0.0.1:5000 is never touched. Disposing shuts it down.
/// </summary>
public sealed class OwnRegistry : IDisposable
{
    private readonly string config;
    private readonly string? htpasswd;
    private Process? process;

    /// <param name="htpasswd">A bcrypt htpasswd file: the registry then requires basic auth (and /v2/ answers 401 when ready).</param>
    public OwnRegistry(string folder, string? htpasswd = null)
    {
        this.htpasswd = htpasswd;
        Directory.CreateDirectory(folder);
        Address = $"127.0.0.1:{RunningApp.FreePort()}";
        config = Path.Combine(folder, "registry.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(folder, "storage")}
              delete:
                enabled: true
            http:
              addr: {Address}
            """ + (htpasswd is null ? string.Empty : $"""

            auth:
              htpasswd:
                realm: stevedore-test
                path: {htpasswd}
            """));
        Start();
    }

    /// <summary>The user <see cref="WriteHtpasswd"/> lets in, with <see cref="Password"/>.</summary>
    public const string User = "stevedore";

    public const string Password = "right-password";

    /// <summary>
    /// Writes an htpasswd file for <see cref="User"/>/<see cref="Password"/> into <paramref name="folder"/>:
    /// `htpasswd -Bbn stevedore right-password` (bcrypt), fixed here so no machine needs apache2-utils.
    /// </summary>
    public static string WriteHtpasswd(string folder)
    {
        var path = Path.Combine(Directory.CreateDirectory(folder).FullName, "htpasswd");
        File.WriteAllText(path, User + ":$2y$05$bNff/Old2PG.R3Ed7a39wezyhRwQIiAUMwUArhXvN7FBNoMEy7z/K\n");
        return path;
    }

    /// <summary>
    /// A DOCKER_CONFIG folder of its own (the machine's is left alone) with the same CLI plugins (buildx) and, when
    /// <paramref name="password"/> is given, a login to this registry as <see cref="User"/>.
    /// </summary>
    public string DockerConfig(string folder, string? password)
    {
        Directory.CreateDirectory(folder);
        var plugins = Path.Combine(System.Environment.GetEnvironmentVariable("DOCKER_CONFIG") ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".docker"), "cli-plugins");
        Directory.CreateSymbolicLink(Path.Combine(folder, "cli-plugins"), plugins);
        var auths = password is null
            ? "{}"
            : "{\"" + Address + "\":{\"auth\":\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(User + ":" + password)) + "\"}}";
        File.WriteAllText(Path.Combine(folder, "config.json"), "{\"auths\":" + auths + "}");
        return folder;
    }

    /// <summary>host:port, for ContainerRegistry.</summary>
    public string Address { get; }

    private static string Binary => Path.Combine(
        System.Environment.GetEnvironmentVariable("STEVEDORE_HOME") ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache", "stevedore"),
        "tools", "bin", "docker-registry");

    /// <summary>Starts it (again, on the same storage and port) and waits until /v2/ answers.</summary>
    public void Start()
    {
        process = Process.Start(new ProcessStartInfo(Binary, ["serve", config]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                var status = http.GetAsync($"http://{Address}/v2/").GetAwaiter().GetResult().StatusCode;
                if (status == System.Net.HttpStatusCode.OK || (htpasswd is not null && status == System.Net.HttpStatusCode.Unauthorized))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Binary} serve {config} exited with {process.ExitCode}");
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"the registry at {Address} did not answer /v2/");
    }

    /// <summary>Freezes it (SIGSTOP): connections are accepted by the kernel but never answered.</summary>
    public void Freeze() => CommandRunner.Run("kill", ["-STOP", process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).EnsureSuccess();

    /// <summary>Kills it (SIGKILL) as a crash would, and waits until it is gone.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>The digest the registry gives for <paramref name="repository"/>:<paramref name="tag"/>, or null when it has no such tag.</summary>
    public string? Digest(string repository, string tag) => Caching.RegistryTags.Digest(repository, tag, Address);

    public void Dispose() => Kill();
}
