using System.Net;
using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Caching;

/// <summary>The tags of one local-registry repository and the digest each points at, read through the registry API.</summary>
public static class RegistryTags
{
    /// <summary>The digest <c>registry/repository:tag</c> points at (127.0.0.1:5000 unless a test's own registry is named), or null when there is no such tag.</summary>
    public static string? Digest(string repository, string tag, string registry = Repo.Registry)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{registry}/v2/{repository}/manifests/{tag}");
        foreach (var type in new[] { RegistryImage.OciIndex, RegistryImage.DockerManifestList, "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json" })
        {
            request.Headers.Accept.Add(new(type));
        }

        using var response = http.Send(request);
        return response.StatusCode == HttpStatusCode.NotFound ? null : response.EnsureSuccessStatusCode().Headers.GetValues("Docker-Content-Digest").Single();
    }

    public static IReadOnlyList<string> List(string repository)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, $"http://{Repo.Registry}/v2/{repository}/tags/list"));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        using var json = JsonDocument.Parse(response.EnsureSuccessStatusCode().Content.ReadAsStream());
        return json.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal).ToList()
            : [];
    }
}
