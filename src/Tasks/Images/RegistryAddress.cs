using System.Net;

namespace Stevedore.Tasks.Images;

/// <summary>
/// Where an image's registry answers the distribution HTTP API: Docker Hub's real host and `library/` prefix, and
/// plain HTTP only for loopback registries (127.0.0.0/8, localhost), as docker and BuildKit treat them.
/// </summary>
internal sealed record RegistryAddress(Uri BaseUri, string Repository)
{
    public const string DockerHub = "registry-1.docker.io";

    public Uri Manifest(string reference) => new(BaseUri, $"v2/{Repository}/manifests/{reference}");

    public static RegistryAddress For(ImageReference image)
    {
        var registry = image.Registry is null or "docker.io" or "index.docker.io" ? DockerHub : image.Registry;
        var repository = registry == DockerHub && !image.Repository.Contains('/', StringComparison.Ordinal)
            ? "library/" + image.Repository
            : image.Repository;
        var scheme = IsLoopback(registry) ? "http" : "https";
        return new RegistryAddress(new Uri($"{scheme}://{registry}/"), repository);
    }

    /// <summary>True for localhost and 127.0.0.0/8 (with or without a port); plain HTTP is allowed only there.</summary>
    public static bool IsLoopback(string registry)
    {
        var (host, _) = Engine.RegistryProbe.HostAndPort(registry);
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
