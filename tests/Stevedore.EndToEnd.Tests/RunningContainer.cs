using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests;

/// <summary>A detached container on the host network; disposing removes it, whatever happened.</summary>
public sealed class RunningContainer : IDisposable
{
    private RunningContainer(string id, string platform)
    {
        Id = id;
        Platform = platform;
    }

    public string Id { get; }

    public string Platform { get; }

    /// <summary>`docker run -d --network host --platform …` (always pulling: the tag may hold another platform locally).</summary>
    public static RunningContainer Start(string image, string platform, IEnumerable<string> environment)
    {
        var arguments = new List<string> { "run", "-d", "--pull", "always", "--network", "host", "--platform", platform };
        foreach (var variable in environment)
        {
            arguments.AddRange(["-e", variable]);
        }

        arguments.Add(image);
        var id = CommandRunner.Docker([.. arguments]).EnsureSuccess().StdOut.Trim();
        return new RunningContainer(id, platform);
    }

    /// <summary>A loopback port nobody listens on right now (the engine has no bridge network: apps share the host's).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200 (returning the body) or <paramref name="patience"/> runs out.</summary>
    public string GetWhenReady(string url, TimeSpan patience)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        string last = "no answer yet";
        while (clock.Elapsed < patience)
        {
            try
            {
                using var response = http.GetAsync(url).GetAwaiter().GetResult();
                var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return body;
                }

                last = $"{(int)response.StatusCode}: {body}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            if (!IsRunning())
            {
                throw new InvalidOperationException($"The {Platform} container exited before {url} answered:\n{Logs()}");
            }

            Thread.Sleep(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"{url} ({Platform}) did not answer 200 within {patience} (last: {last}):\n{Logs()}");
    }

    public string Logs() => CommandRunner.Docker("logs", Id).Output;

    public void Dispose() => CommandRunner.Docker("rm", "-f", Id);

    private bool IsRunning() =>
        CommandRunner.Docker("inspect", "-f", "{{.State.Running}}", Id).StdOut.Trim() == "true";
}
