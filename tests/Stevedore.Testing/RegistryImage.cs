using System.Net;
using System.Text.Json;

namespace Stevedore.Testing;

/// <summary>What the local registry holds under one tag, read through its HTTP API.</summary>
/// <param name="MediaType">An OCI image index or a Docker manifest list for a multi-platform image.</param>
/// <param name="Platforms">"os/architecture" of every manifest the index lists.</param>
public sealed record RegistryImage(string MediaType, IReadOnlyList<string> Platforms)
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    public bool IsIndex => MediaType is OciIndex or DockerManifestList;

    /// <summary>Throws, naming the fix, unless the registry holds the stand-in base image <paramref name="reference"/> ("repository:tag").</summary>
    public static void RequireStandIn(string reference)
    {
        var (repository, tag) = reference.Split(':') is [var r, var t] ? (r, t) : throw new ArgumentException(reference);
        if (Find(repository, tag) is null)
        {
            throw new InvalidOperationException($"The stand-in base image {Repo.Registry}/{reference} is not in the local registry. Run `eng/base-images.sh`.");
        }
    }

    /// <summary>
    /// What a pull of <paramref name="platform"/> ("os/architecture") from the multi-platform <c>repository:tag</c> downloads:
    /// the compressed sizes of its config and layers, as the registry lists them.
    /// </summary>
    public static long CompressedSize(string repository, string tag, string platform)
    {
        using var index = Manifest(repository, tag);
        var digest = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Where(d => d.TryGetProperty("platform", out var p) && $"{p.GetProperty("os").GetString()}/{p.GetProperty("architecture").GetString()}" == platform)
            .Select(d => d.GetProperty("digest").GetString())
            .FirstOrDefault() ?? throw new InvalidOperationException($"{repository}:{tag} has no {platform} image");
        using var image = Manifest(repository, digest);
        return image.RootElement.GetProperty("config").GetProperty("size").GetInt64()
            + image.RootElement.GetProperty("layers").EnumerateArray().Sum(l => l.GetProperty("size").GetInt64());
    }

    private static JsonDocument Manifest(string repository, string reference)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = ManifestRequest(repository, reference);
        using var response = http.Send(request).EnsureSuccessStatusCode();
        return JsonDocument.Parse(response.Content.ReadAsStream());
    }

    // A GET of a manifest by tag or digest that accepts an index as well as a single image's manifest.
    private static HttpRequestMessage ManifestRequest(string repository, string reference)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Repo.Registry}/v2/{repository}/manifests/{reference}");
        foreach (var type in new[] { OciIndex, DockerManifestList, "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json" })
        {
            request.Headers.Accept.Add(new(type));
        }

        return request;
    }

    /// <summary>The manifest of <c>127.0.0.1:5000/repository:tag</c>, or null when the registry has no such tag.</summary>
    public static RegistryImage? Find(string repository, string tag)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = ManifestRequest(repository, tag);
        using var response = http.Send(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(response.Content.ReadAsStream());
        var mediaType = json.RootElement.TryGetProperty("mediaType", out var m) ? m.GetString() : null;
        mediaType ??= response.Content.Headers.ContentType?.MediaType ?? "";
        var platforms = json.RootElement.TryGetProperty("manifests", out var manifests)
            ? manifests.EnumerateArray()
                .Where(d => d.TryGetProperty("platform", out _))
                .Select(d => $"{d.GetProperty("platform").GetProperty("os").GetString()}/{d.GetProperty("platform").GetProperty("architecture").GetString()}")
                .ToList()
            : [];
        return new RegistryImage(mediaType, platforms);
    }
}
