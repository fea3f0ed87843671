using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stevedore.Testing;

/// <summary>An HTTP app started by a test (in a container or on the host); disposing stops it, whatever happened.</summary>
public abstract class RunningApp : IDisposable
{
    /// <summary>What runs, for messages: e.g. "linux/arm64 container".</summary>
    public abstract string Name { get; }

    /// <summary>A loopback port nobody listens on right now (the engine has no bridge network: apps share the host's).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Polls <paramref name="url"/> until it answers 200 (returning the body) or <paramref name="patience"/> runs out.
    /// An app that is still running but silent when it does gets one restart, when <see cref="RestartAfterHang"/> allows
    /// it, and <paramref name="patience"/> again.
    /// </summary>
    public string GetWhenReady(string url, TimeSpan patience)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (clock.Elapsed < patience || RestartAfterHang(patience, clock))
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
                throw new InvalidOperationException($"The {Name} exited before {url} answered:\n{Logs()}");
            }

            Thread.Sleep(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"{url} ({Name}) did not answer 200 within {patience} (last: {last}):\n{Logs()}");
    }

    public abstract string Logs();

    /// <summary>
    /// Whether an app that did not answer within <paramref name="patience"/> may be restarted (done here) and waited
    /// for again from <paramref name="clock"/>'s restart. None by default: a silent app is a failure.
    /// </summary>
    protected virtual bool RestartAfterHang(TimeSpan patience, Stopwatch clock) => false;

    public abstract void Dispose();

    protected abstract bool IsRunning();
}
