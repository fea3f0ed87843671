using System.Net;
using Stevedore.Tasks.Engine;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Images;

/// <summary>
/// Reads a manifest from its registry: the digest a tag points to now, or the raw manifest (an image index for a
/// multi-platform image). First one anonymous request, the cheap answer a loopback or public registry gives in
/// milliseconds; when the registry wants credentials (or does not answer plainly), `docker buildx imagetools inspect`,
/// with the credentials the docker CLI has.
/// </summary>
internal sealed class RegistryManifest(DockerCli cli, HttpMessageHandler handler) : IDisposable
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(60);

    private readonly RegistryClient http = new(handler, TimeSpan.FromSeconds(20));

    public RegistryManifest(DockerCli cli)
        : this(cli, new HttpClientHandler { AllowAutoRedirect = true })
    {
    }

    public void Dispose() => http.Dispose();

    /// <summary>The digest <paramref name="image"/> names (its own when it has one), or null when the tag is not there or nobody tells.</summary>
    public string? Digest(string image)
    {
        if (Parse(image) is not { } reference)
        {
            return null;
        }

        if (reference.Digest is { } pinned)
        {
            return pinned;
        }

        using (var response = Ask(HttpMethod.Head, reference))
        {
            if (response?.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (response is { IsSuccessStatusCode: true } && response.Headers.TryGetValues("Docker-Content-Digest", out var values)
                && values.FirstOrDefault() is { } digest && digest.StartsWith("sha256:", StringComparison.Ordinal))
            {
                return digest;
            }
        }

        var result = AskDocker(ImageDigest.Arguments(image));
        return result is { ExitCode: 0 } ? ImageDigest.Parse(result.StdOut) : null;
    }

    /// <summary>The manifest <paramref name="image"/> names, as the registry serves it, or null when nobody tells.</summary>
    public string? Raw(string image)
    {
        if (Parse(image) is not { } reference)
        {
            return null;
        }

        using (var response = Ask(HttpMethod.Get, reference))
        {
            if (response is { IsSuccessStatusCode: true })
            {
                try
                {
                    return response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                }
                catch (Exception e) when (RegistryClient.Unreachable(e))
                {
                    // asked docker below
                }
            }
        }

        var result = AskDocker(["buildx", "imagetools", "inspect", "--raw", image]);
        return result is { ExitCode: 0 } ? result.StdOut : null;
    }

    private static ImageReference? Parse(string image)
    {
        try
        {
            return ImageReference.Parse(image, "image");
        }
        catch (Diagnostics.DiagnosticException)
        {
            return null;
        }
    }

    /// <summary>One anonymous request for the manifest; null when the registry could not be reached.</summary>
    private HttpResponseMessage? Ask(HttpMethod method, ImageReference reference)
    {
        var address = RegistryAddress.For(reference);
        try
        {
            return http.Send(method, address.Manifest(reference.Digest ?? reference.Tag ?? "latest"), accept: ManifestTypes);
        }
        catch (Exception e) when (RegistryClient.Unreachable(e))
        {
            return null;
        }
    }

    private ProcessResult? AskDocker(IReadOnlyList<string> arguments) =>
        cli.Find() is { } docker ? cli.Run(docker, arguments, CliTimeout) : null;
}
