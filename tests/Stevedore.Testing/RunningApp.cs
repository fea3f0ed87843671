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

    /// <summary>Polls <paramref name="url"/> until it answers 200 (returning the body); see <see cref="Poll"/> for the patience.</summary>
    public string GetWhenReady(string url, TimeSpan patience)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var last = "no answer yet";
        return Poll(patience, () =>
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

            return IsRunning() ? null : throw new InvalidOperationException($"The {Name} exited before {url} answered:\n{Logs()}");
        }, () => $"{url} ({Name}) did not answer 200 within {patience} (last: {last})");
    }

    /// <summary>Polls the app's log until it holds <paramref name="line"/>; see <see cref="Poll"/> for the patience.</summary>
    public void WaitForLog(string line, TimeSpan patience) =>
        Poll(patience, () => Logs().Contains(line, StringComparison.Ordinal) ? line : null, () => $"{Name}: no \"{line}\" in the log within {patience}");

    /// <summary>
    /// Calls <paramref name="attempt"/> every second until it gives a value, or throws a TimeoutException saying
    /// <paramref name="timedOut"/>, with the log, once <paramref name="patience"/> runs out. An app that is still running
    /// but silent then gets one restart, when <see cref="RestartAfterHang"/> allows it, and <paramref name="patience"/> again.
    /// </summary>
    private string Poll(TimeSpan patience, Func<string?> attempt, Func<string> timedOut)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < patience || RestartAfterHang(patience, clock))
        {
            if (attempt() is { } value)
            {
                return value;
            }

            Thread.Sleep(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"{timedOut()}:\n{Logs()}");
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
