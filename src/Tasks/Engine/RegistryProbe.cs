using System.Net.Sockets;

namespace Stevedore.Tasks.Engine;

/// <summary>
/// Whether anything listens at a registry's host and port. A refused or silent port fails the push only after the
/// whole build; checking first turns minutes of building into one clear error.
/// </summary>
internal static class RegistryProbe
{
    /// <summary>host[:port] → where to connect; no port means HTTPS (443), docker.io means its real host.</summary>
    public static (string Host, int Port) HostAndPort(string registry)
    {
        var colon = registry.LastIndexOf(':');
        var closingBracket = registry.LastIndexOf(']');
        return colon > 0 && colon > closingBracket && int.TryParse(registry[(colon + 1)..], out var port)
            ? (registry[..colon].Trim('[', ']'), port)
            : (registry == "docker.io" ? "registry-1.docker.io" : registry.Trim('[', ']'), 443);
    }

    /// <summary>Null when a TCP connection opens, else why not.</summary>
    public static string? Connect(string registry, TimeSpan timeout)
    {
        var (host, port) = HostAndPort(registry);
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(timeout) ? null : $"no answer within {timeout.TotalSeconds} s";
        }
        catch (AggregateException e) when (e.InnerException is SocketException s)
        {
            return s.Message;
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    }
}
