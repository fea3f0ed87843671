using System.Net.Sockets;
using Docker.DotNet;

namespace Stevedore.Tasks.Engine;

/// <summary>
/// What the engine said over its API. <see cref="Unreachable"/> is why it did not answer (null when it did, or when only
/// the CLI can ask it); <see cref="ContainerdImageStore"/> is read from `docker info`'s DriverStatus, null when the API
/// was not asked; <see cref="Identity"/> tells one engine from another (its ID, name and version), null when the API
/// was not asked.
/// </summary>
internal sealed record EngineAnswer(string? Unreachable, bool? ContainerdImageStore, string? Identity = null);

/// <summary>
/// Asks the engine directly over its API (Docker.DotNet: milliseconds, where each docker CLI call costs a process
/// start): does it answer, and does it keep images in containerd's store.
/// </summary>
internal static class EngineApi
{
    // An engine that is down refuses at once; this bounds only an engine that accepts and does not answer, which a
    // busy engine (many builds at once) must not be taken for.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static EngineAnswer Ask(string endpoint)
    {
        Uri uri;
        try
        {
            uri = new Uri(endpoint);
        }
        catch (UriFormatException e)
        {
            return new EngineAnswer(e.Message, null);
        }

        // Docker.DotNet speaks unix, npipe, tcp and http; for ssh://, TLS and others, the docker CLI is the check.
        if (uri.Scheme is not ("unix" or "npipe" or "tcp" or "http") || CheckBuildEngine.UsesTls(uri, Environment.GetEnvironmentVariable))
        {
            return new EngineAnswer(null, null);
        }

        try
        {
            using var configuration = new DockerClientConfiguration(uri, defaultTimeout: Timeout);
            using var client = configuration.CreateClient();
            using var cancel = new CancellationTokenSource(Timeout);
            var info = client.System.GetSystemInfoAsync(cancel.Token).GetAwaiter().GetResult();
            return new EngineAnswer(null, DockerDriverStatus.UsesContainerdImageStore(info.DriverStatus ?? []), string.Join("|", info.ID, info.Name, info.ServerVersion));
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or TimeoutException
            or OperationCanceledException or DockerApiException)
        {
            return new EngineAnswer(e.InnerException?.Message ?? e.Message, null);
        }
    }
}
