using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stevedore.Testing.Faults;

/// <summary>
/// An HTTP/1.1 reverse proxy on a free 127.0.0.1 port in front of one registry, at the socket level so every header
/// (Host, Content-Length of a HEAD, Docker-Content-Digest, Location) passes unchanged; each request is first put to the
/// <see cref="FaultPlan"/>. One upstream connection per client connection. Bounded: it stops by itself after
/// <c>lifetime</c> (a test that hangs then fails instead of waiting forever), and when disposed.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private const int ResetAfterBytes = 16 * 1024;

    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop;
    private readonly ConcurrentDictionary<Socket, byte> sockets = new();
    private readonly ConcurrentQueue<FaultDecision> decisions = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Task accepting;
    private int disposed;

    /// <param name="upstream">host:port of the registry behind it, e.g. an own registry's Address or 127.0.0.1:5000 (read only).</param>
    public FaultProxy(string upstream, FaultPlan plan, TimeSpan? lifetime = null)
    {
        Upstream = upstream;
        Plan = plan;
        stop = new CancellationTokenSource(lifetime ?? TimeSpan.FromMinutes(15));
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        stop.Token.Register(Shutdown);
        accepting = Task.Run(AcceptAsync);
    }

    /// <summary>host:port to give buildx instead of the registry's.</summary>
    public string Address { get; }

    public string Upstream { get; }

    public FaultPlan Plan { get; }

    /// <summary>Every request seen, in arrival order, with what was done to it.</summary>
    public IReadOnlyList<FaultDecision> Decisions => [.. decisions];

    /// <summary>The requests a fault was injected into.</summary>
    public IReadOnlyList<FaultDecision> Faults => [.. decisions.Where(d => d.Action is not null)];

    /// <summary>One line for a test's report: the seed, the rules, and how many faults of each kind were injected.</summary>
    public string Summary()
    {
        var faults = Faults.GroupBy(d => $"{d.Action} on {d.Method} {d.Kind}").Select(g => $"{g.Count()}× {g.Key}");
        return $"seed {Plan.Seed}, {decisions.Count} requests, faults: {(Faults.Count == 0 ? "none" : string.Join(", ", faults))}";
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        stop.Cancel();
        try
        {
            accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stop.Dispose();
    }

    private void Shutdown()
    {
        listener.Stop();
        foreach (var socket in sockets.Keys)
        {
            Close(socket, reset: false);
        }
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            client.NoDelay = true;
            sockets.TryAdd(client, 0);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        Socket? upstream = null;
        try
        {
            var fromClient = new HttpReader(client);
            HttpReader? fromUpstream = null;
            if (await fromClient.PeekAsync(stop.Token) == 0x16)
            {
                // A TLS ClientHello: answer as Go's HTTP server does, so the engine falls back to plain HTTP for 127.0.0.1.
                await client.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"), stop.Token);
                return;
            }

            while (!stop.IsCancellationRequested)
            {
                var head = await fromClient.ReadHeadAsync(stop.Token);
                if (head is null)
                {
                    return;
                }

                var request = HttpHead.Parse(head);
                var decision = Plan.Decide(request.Method, request.Target, DateTime.UtcNow);
                decisions.Enqueue(decision);
                switch (decision.Action)
                {
                    case FaultAction.Status status:
                        await fromClient.SkipBodyAsync(request, isResponse: false, stop.Token);
                        await client.SendAsync(StatusResponse(status, withBody: request.Method != "HEAD"), stop.Token);
                        continue;
                    case FaultAction.Reset when request.HasBody:
                        // An upload broken mid-body: part of it arrived, then RST; the registry never sees it.
                        await fromClient.ReadSomeBodyAsync(request, ResetAfterBytes / 2, stop.Token);
                        Close(client, reset: true);
                        return;
                    case FaultAction.Reset when request.Method != "GET":
                        // No body either way (HEAD, an upload's POST): the connection breaks before the answer.
                        Close(client, reset: true);
                        return;
                    case FaultAction.Delay delay:
                        await Task.Delay(delay.Time, stop.Token);
                        break;
                }

                if (upstream is null)
                {
                    upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    sockets.TryAdd(upstream, 0);
                    var (host, port) = Split(Upstream);
                    await upstream.ConnectAsync(host, port, stop.Token);
                    fromUpstream = new HttpReader(upstream);
                }

                await upstream.SendAsync(head, stop.Token);
                await fromClient.CopyBodyAsync(request, isResponse: false, upstream, limit: null, stop.Token);

                HttpHead response;
                byte[] responseHead;
                do
                {
                    responseHead = await fromUpstream!.ReadHeadAsync(stop.Token) ?? throw new IOException("the registry closed the connection");
                    response = HttpHead.Parse(responseHead);
                    await client.SendAsync(responseHead, stop.Token);
                }
                while (response.Status is >= 100 and < 200);

                response = response with { IsHeadRequest = request.Method == "HEAD" };
                if (decision.Action is FaultAction.Reset)
                {
                    // A download broken mid-body: part of it sent, then RST to the client; the upstream connection is spent.
                    await fromUpstream.CopyBodyAsync(response, isResponse: true, client, limit: ResetAfterBytes, stop.Token);
                    Close(client, reset: true);
                    return;
                }

                var whole = await fromUpstream.CopyBodyAsync(response, isResponse: true, client, limit: null, stop.Token);
                if (!whole || response.Closes || request.Closes)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or FormatException)
        {
            // The client, the registry or the bound ended the conversation: nothing to answer.
        }
        finally
        {
            Close(client, reset: false);
            if (upstream is not null)
            {
                Close(upstream, reset: false);
            }
        }
    }

    private void Close(Socket socket, bool reset)
    {
        sockets.TryRemove(socket, out _);
        try
        {
            if (reset)
            {
                // Linger 0: close sends RST instead of FIN, as a dropped connection on the way does.
                socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    // A HEAD answer has no body (its Content-Length still says how long the GET's would be): bytes after its head would
    // be read as the next answer on the kept-alive connection ("malformed HTTP status code").
    private static byte[] StatusResponse(FaultAction.Status status, bool withBody)
    {
        var (code, reason) = status.Code switch
        {
            429 => ("TOOMANYREQUESTS", "Too Many Requests"),
            500 => ("UNKNOWN", "Internal Server Error"),
            502 => ("UNAVAILABLE", "Bad Gateway"),
            503 => ("UNAVAILABLE", "Service Unavailable"),
            401 => ("UNAUTHORIZED", "Unauthorized"),
            403 => ("DENIED", "Forbidden"),
            404 => ("NAME_UNKNOWN", "Not Found"),
            _ => ("UNKNOWN", "Error"),
        };
        var body = Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"{{code}}","message":"injected by the test's fault proxy"}]}""");
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status.Code} {reason}\r\n")
            .Append("Content-Type: application/json; charset=utf-8\r\n")
            .Append("Docker-Distribution-Api-Version: registry/2.0\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        if (status.RetryAfterSeconds is { } seconds)
        {
            head.Append(CultureInfo.InvariantCulture, $"Retry-After: {seconds}\r\n");
        }

        return [.. Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), .. withBody ? body : []];
    }

    private static (string Host, int Port) Split(string address)
    {
        var colon = address.LastIndexOf(':');
        return (address[..colon], int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture));
    }
}

/// <summary>The start line and the framing headers of one HTTP/1.1 message.</summary>
internal sealed record HttpHead(string Method, string Target, int Status, long? ContentLength, bool Chunked, bool Closes)
{
    /// <summary>A response to HEAD carries no body whatever its Content-Length says.</summary>
    public bool IsHeadRequest { get; init; }

    public bool HasBody => Chunked || ContentLength > 0;

    public static HttpHead Parse(byte[] head)
    {
        var lines = Encoding.ASCII.GetString(head).Split("\r\n");
        var start = lines[0].Split(' ', 3);
        if (start.Length < 2)
        {
            throw new FormatException("not an HTTP start line: " + lines[0]);
        }

        long? length = null;
        var chunked = false;
        var closes = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                closes = value.Contains("close", StringComparison.OrdinalIgnoreCase);
            }
        }

        return start[0].StartsWith("HTTP/", StringComparison.Ordinal)
            ? new HttpHead(string.Empty, string.Empty, int.Parse(start[1], CultureInfo.InvariantCulture), length, chunked, closes)
            : new HttpHead(start[0], start[1], 0, length, chunked, closes);
    }
}

/// <summary>Reads HTTP/1.1 heads and bodies off a socket through a buffer, forwarding body bytes verbatim.</summary>
internal sealed class HttpReader(Socket socket)
{
    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    /// <summary>The next byte without consuming it; -1 when the peer closed.</summary>
    public async Task<int> PeekAsync(CancellationToken cancel) =>
        start < end || await FillAsync(cancel) ? buffer[start] : -1;

    /// <summary>The head up to and including the empty line; null when the peer closed before a new message began.</summary>
    public async Task<byte[]?> ReadHeadAsync(CancellationToken cancel)
    {
        var head = new List<byte>();
        while (true)
        {
            if (start == end && !await FillAsync(cancel))
            {
                return head.Count == 0 ? null : throw new IOException("connection closed mid-head");
            }

            while (start < end)
            {
                head.Add(buffer[start++]);
                var n = head.Count;
                if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n')
                {
                    return [.. head];
                }
            }

            if (head.Count > 64 * 1024)
            {
                throw new FormatException("HTTP head larger than 64 KiB");
            }
        }
    }

    /// <summary>Forwards the body of <paramref name="head"/> to <paramref name="to"/>; false when it ends with the connection (or at <paramref name="limit"/>).</summary>
    public async Task<bool> CopyBodyAsync(HttpHead head, bool isResponse, Socket? to, long? limit, CancellationToken cancel)
    {
        var budget = limit ?? long.MaxValue;
        if (isResponse && (head.IsHeadRequest || head.Status is 204 or 304 || head.Status < 200))
        {
            return true;
        }

        if (head.Chunked)
        {
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancel);
                await SendAsync(to, sizeLine, cancel);
                var size = long.Parse(Encoding.ASCII.GetString(sizeLine).Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    // Trailers, then the empty line.
                    while (true)
                    {
                        var trailer = await ReadLineAsync(cancel);
                        await SendAsync(to, trailer, cancel);
                        if (trailer.Length == 2)
                        {
                            return true;
                        }
                    }
                }

                if (!await CopyAsync(size + 2, to, budget, cancel))
                {
                    return false;
                }

                budget -= size + 2;
            }
        }

        if (head.ContentLength is { } length)
        {
            return await CopyAsync(length, to, budget, cancel);
        }

        if (!isResponse)
        {
            return true; // a request without length or chunking has no body
        }

        // A response delimited by the end of the connection.
        await CopyAsync(long.MaxValue, to, budget, cancel, untilClose: true);
        return false;
    }

    /// <summary>Reads and drops the body, so the connection can carry the next request.</summary>
    public Task SkipBodyAsync(HttpHead head, bool isResponse, CancellationToken cancel) => CopyBodyAsync(head, isResponse, null, null, cancel);

    /// <summary>Reads up to <paramref name="bytes"/> of the body (what arrived before a reset).</summary>
    public async Task ReadSomeBodyAsync(HttpHead head, long bytes, CancellationToken cancel)
    {
        if (head.ContentLength is { } length)
        {
            await CopyAsync(Math.Min(bytes, Math.Max(1, length / 2)), null, long.MaxValue, cancel);
            return;
        }

        // Chunked: whatever the first read brings (a small body may be all there is).
        if (start == end)
        {
            await FillAsync(cancel);
        }

        start = end;
    }

    private async Task<bool> CopyAsync(long count, Socket? to, long budget, CancellationToken cancel, bool untilClose = false)
    {
        while (count > 0)
        {
            if (start == end && !await FillAsync(cancel))
            {
                if (untilClose)
                {
                    return false;
                }

                throw new IOException("connection closed mid-body");
            }

            var n = (int)Math.Min(Math.Min(count, end - start), budget);
            if (n <= 0)
            {
                return false; // the budget of a reset is spent
            }

            if (to is not null)
            {
                await to.SendAsync(buffer.AsMemory(start, n), cancel);
            }

            start += n;
            count -= n;
            budget -= n;
        }

        return true;
    }

    private async Task<byte[]> ReadLineAsync(CancellationToken cancel)
    {
        var line = new List<byte>();
        while (true)
        {
            if (start == end && !await FillAsync(cancel))
            {
                throw new IOException("connection closed mid-line");
            }

            line.Add(buffer[start++]);
            if (line.Count >= 2 && line[^2] == '\r' && line[^1] == '\n')
            {
                return [.. line];
            }
        }
    }

    private static async Task SendAsync(Socket? to, byte[] bytes, CancellationToken cancel)
    {
        if (to is not null)
        {
            await to.SendAsync(bytes, cancel);
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancel)
    {
        start = 0;
        end = await socket.ReceiveAsync(buffer, cancel);
        return end > 0;
    }
}
