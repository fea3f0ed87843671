using System.Net;
using System.Net.Http.Headers;
using Stevedore.Tasks.Engine;

namespace Stevedore.Tasks.Images;

/// <summary>
/// The digest a tag points to in its registry now. First one anonymous HEAD of the manifest (an index for a
/// multi-platform tag), the cheap answer a loopback or public registry gives; when the registry wants credentials
/// (or does not answer plainly), `docker buildx imagetools inspect`, with the credentials the docker CLI has.
/// </summary>
internal sealed class CurrentDigest(DockerCli cli, HttpMessageHandler handler) : IDisposable
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private readonly HttpClient http = new(handler) { Timeout = TimeSpan.FromSeconds(20) };

    public CurrentDigest(DockerCli cli)
        : this(cli, new HttpClientHandler { AllowAutoRedirect = true })
    {
    }

    public void Dispose() => http.Dispose();

    /// <summary>The digest <paramref name="image"/> names (its own when it has one), or null when the tag is not there or nobody tells.</summary>
    public string? Of(string image)
    {
        ImageReference reference;
        try
        {
            reference = ImageReference.Parse(image, "image");
        }
        catch (Diagnostics.DiagnosticException)
        {
            return null;
        }

        if (reference.Digest is { } pinned)
        {
            return pinned;
        }

        var address = RegistryAddress.For(reference);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, address.Manifest(reference.Tag ?? "latest"));
            foreach (var type in ManifestTypes)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            using var response = http.Send(request);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (response.IsSuccessStatusCode && response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } digest
                && digest.StartsWith("sha256:", StringComparison.Ordinal))
            {
                return digest;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // asked docker below
        }

        if (cli.Find() is not { } docker)
        {
            return null;
        }

        var result = cli.Run(docker, ImageDigest.Arguments(image), TimeSpan.FromSeconds(60));
        return result.ExitCode == 0 ? ImageDigest.Parse(result.StdOut) : null;
    }
}
