using System.IO.Compression;
using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Security;

/// <summary>One platform image of a pushed index: its config (with history) and its layer blobs.</summary>
/// <param name="Platform">"os/architecture" from the index, or the manifest digest for entries without a platform (attestations).</param>
public sealed record PlatformImage(string Platform, JsonElement Config, byte[] ConfigBytes, IReadOnlyList<(string Digest, string MediaType)> Layers)
{
    /// <summary>The config's `User` (empty when unset).</summary>
    public string User => Config.TryGetProperty("config", out var c) && c.TryGetProperty("User", out var u) ? u.GetString() ?? "" : "";
}

/// <summary>Everything the local registry holds under one tag, read through its HTTP API: index → manifests → configs and layers.</summary>
public static class PushedImage
{
    private static readonly string[] ManifestTypes =
    [
        RegistryImage.OciIndex, RegistryImage.DockerManifestList,
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Every manifest the index of <c>127.0.0.1:5000/repository:tag</c> lists.</summary>
    public static IReadOnlyList<PlatformImage> Read(string repository, string tag)
    {
        using var index = JsonDocument.Parse(Manifest(repository, tag));
        var images = new List<PlatformImage>();
        foreach (var entry in index.RootElement.GetProperty("manifests").EnumerateArray())
        {
            var digest = entry.GetProperty("digest").GetString()!;
            var platform = entry.TryGetProperty("platform", out var p)
                ? $"{p.GetProperty("os").GetString()}/{p.GetProperty("architecture").GetString()}"
                : digest;
            using var manifest = JsonDocument.Parse(Manifest(repository, digest));
            var configDigest = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
            var configBytes = Blob(repository, configDigest);
            var layers = manifest.RootElement.GetProperty("layers").EnumerateArray()
                .Select(l => (l.GetProperty("digest").GetString()!, l.GetProperty("mediaType").GetString() ?? ""))
                .ToList();
            Config(configBytes, out var config);
            images.Add(new PlatformImage(platform, config, configBytes, layers));
        }

        return images;
    }

    /// <summary>A layer's tar bytes: gunzipped when the blob is gzip-compressed.</summary>
    public static byte[] LayerTar(string repository, string digest)
    {
        var blob = Blob(repository, digest);
        if (blob is not [0x1f, 0x8b, ..])
        {
            return blob;
        }

        using var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gzip.CopyTo(tar);
        return tar.ToArray();
    }

    private static void Config(byte[] bytes, out JsonElement config)
    {
        using var json = JsonDocument.Parse(bytes);
        config = json.RootElement.Clone();
    }

    private static byte[] Manifest(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Repo.Registry}/v2/{repository}/manifests/{reference}");
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new(type));
        }

        using var response = Http.Send(request);
        response.EnsureSuccessStatusCode();
        return response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
    }

    private static byte[] Blob(string repository, string digest) =>
        Http.GetByteArrayAsync($"http://{Repo.Registry}/v2/{repository}/blobs/{digest}").GetAwaiter().GetResult();
}
