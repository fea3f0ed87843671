using System.Net.Http.Headers;

namespace Stevedore.Tasks.Images;

/// <summary>
/// The one HTTP client Stevedore talks to a registry's distribution API with (anonymous; addresses from
/// <see cref="RegistryAddress"/>: Docker Hub's real host, plain HTTP only on loopback): a manifest read, a cache probe,
/// an archive push. The caller picks the timeout and whether redirects are followed; tests give their own handler.
/// </summary>
internal sealed class RegistryClient(HttpMessageHandler handler, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient http = new(handler) { Timeout = timeout };

    public RegistryClient(TimeSpan timeout, bool followRedirects = true)
        : this(new HttpClientHandler { AllowAutoRedirect = followRedirects }, timeout)
    {
    }

    public void Dispose() => http.Dispose();

    /// <summary>Sends one request (with <paramref name="content"/>, accepting <paramref name="accept"/> media types); <see cref="Unreachable"/> says which exceptions mean the registry did not answer.</summary>
    public HttpResponseMessage Send(HttpMethod method, Uri uri, HttpContent? content = null, params string[] accept)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        foreach (var type in accept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        return http.Send(request);
    }

    /// <summary>The exceptions a request ends with when the registry could not be reached, broke the connection or did not answer in time.</summary>
    public static bool Unreachable(Exception e) => e is HttpRequestException or TaskCanceledException or IOException;
}
