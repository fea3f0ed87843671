using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Images;

/// <summary>
/// Pins an image to the digest its tag points to now (ContainerPinBaseImages): asks the registry for the manifest
/// (index or list first, so a multi-platform tag pins to its index), anonymously, with a pull token when challenged.
/// </summary>
internal sealed partial class ManifestDigest(HttpMessageHandler handler) : IDisposable
{
    /// <summary>Index and list first: the digest of a multi-platform tag is the index's, which holds every platform.</summary>
    public static readonly string[] AcceptTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private readonly HttpClient http = new(handler) { Timeout = TimeSpan.FromSeconds(30) };

    public ManifestDigest()
        : this(new HttpClientHandler())
    {
    }

    /// <summary><paramref name="image"/> as image:tag@sha256:…; unchanged when it already names a digest or is scratch. STV3102 when the registry does not tell.</summary>
    public string Pin(string image, string property)
    {
        var reference = ImageReference.Parse(image, property);
        // scratch is no image in any registry: there is nothing to pin.
        if (reference.Digest is not null || (reference.Registry is null && reference.Repository == "scratch"))
        {
            return image;
        }

        try
        {
            return (reference with { Digest = Find(reference) }).ToString();
        }
        catch (HttpRequestException e)
        {
            throw new DiagnosticException("BaseImageNotPinned", image, property, e.Message);
        }
        catch (JsonException e)
        {
            throw new DiagnosticException("BaseImageNotPinned", image, property, "unreadable token answer: " + e.Message);
        }
        catch (TaskCanceledException)
        {
            throw new DiagnosticException("BaseImageNotPinned", image, property, $"no answer within {http.Timeout.TotalSeconds} s");
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>The digest the registry gives for the reference's tag (latest when it has none).</summary>
    private string Find(ImageReference image)
    {
        var address = RegistryAddress.For(image);
        var manifest = address.Manifest(image.Tag ?? "latest");
        string? token = null;
        var response = Send(HttpMethod.Head, manifest, token);
        try
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized && BearerChallenge.Parse(response.Headers.WwwAuthenticate.ToString()) is { } challenge)
            {
                response.Dispose();
                token = AnonymousToken(challenge, address.Repository);
                response = Send(HttpMethod.Head, manifest, token);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{manifest} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } digest && DigestPattern().IsMatch(digest))
            {
                return digest;
            }

            // Some registries omit the header on HEAD: the digest is the sha256 of the manifest bytes.
            response.Dispose();
            response = Send(HttpMethod.Get, manifest, token);
            response.EnsureSuccessStatusCode();
            return "sha256:" + Convert.ToHexString(SHA256.HashData(response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult())).ToLowerInvariant();
        }
        finally
        {
            response.Dispose();
        }
    }

    private HttpResponseMessage Send(HttpMethod method, Uri uri, string? token)
    {
        using var request = new HttpRequestMessage(method, uri);
        foreach (var type in AcceptTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http.Send(request);
    }

    private string AnonymousToken(BearerChallenge challenge, string repository)
    {
        var tokenUri = challenge.TokenUri(repository);
        if (tokenUri.Scheme != Uri.UriSchemeHttps && !RegistryAddress.IsLoopback(tokenUri.Authority))
        {
            throw new HttpRequestException($"the token service {tokenUri.GetLeftPart(UriPartial.Path)} is plain HTTP on a non-local host");
        }

        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, tokenUri));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(response.Content.ReadAsStream());
        return json.RootElement.TryGetProperty("token", out var token) || json.RootElement.TryGetProperty("access_token", out token)
            ? token.GetString() ?? throw new HttpRequestException("the token answer holds no token")
            : throw new HttpRequestException("the token answer holds no token");
    }

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();
}
