using System.Net;
using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>
/// What a tag points at in a registry, read whole: the index, every child manifest it lists, and every blob (config
/// and layers) each child names. A tag on an incomplete image fails here.
/// </summary>
public static class CompleteImage
{
    private static readonly string[] ManifestTypes =
    [
        RegistryImage.OciIndex, RegistryImage.DockerManifestList,
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
    ];

    /// <summary>The index digest of <paramref name="repository"/>:<paramref name="tag"/>, or null when there is no such tag; asserts the image is whole and has <paramref name="platforms"/>.</summary>
    public static string? Check(string registry, string repository, string tag, IReadOnlyList<string> platforms)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}"), Timeout = TimeSpan.FromSeconds(30) };
        var (status, digest, index) = Get(http, $"/v2/{repository}/manifests/{tag}");
        if (status == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.AreEqual(HttpStatusCode.OK, status, $"{registry}/{repository}:{tag}");
        var root = index!.RootElement;
        var mediaType = root.TryGetProperty("mediaType", out var m) ? m.GetString() : null;
        Assert.IsTrue(mediaType is RegistryImage.OciIndex or RegistryImage.DockerManifestList, $"{repository}:{tag} is a {mediaType}, not an index");
        var children = root.GetProperty("manifests").EnumerateArray().ToList();
        CollectionAssert.AreEquivalent(
            platforms.ToList(),
            children.Select(c => $"{c.GetProperty("platform").GetProperty("os").GetString()}/{c.GetProperty("platform").GetProperty("architecture").GetString()}").ToList(),
            $"{repository}:{tag} lists other platforms");
        foreach (var child in children)
        {
            var childDigest = child.GetProperty("digest").GetString()!;
            var (childStatus, _, manifest) = Get(http, $"/v2/{repository}/manifests/{childDigest}");
            Assert.AreEqual(HttpStatusCode.OK, childStatus, $"{repository}:{tag} lists {childDigest}, which the registry does not hold");
            var blobs = new[] { manifest!.RootElement.GetProperty("config") }.Concat(manifest.RootElement.GetProperty("layers").EnumerateArray());
            foreach (var blob in blobs)
            {
                var blobDigest = blob.GetProperty("digest").GetString()!;
                using var head = http.Send(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{blobDigest}"));
                Assert.AreEqual(HttpStatusCode.OK, head.StatusCode, $"{childDigest} of {repository}:{tag} names {blobDigest}, which the registry does not hold");
                Assert.AreEqual(blob.GetProperty("size").GetInt64(), head.Content.Headers.ContentLength, $"{blobDigest} is not whole");
            }
        }

        return digest;
    }

    /// <summary>
    /// True when one of the top <paramref name="layers"/> layers of the <paramref name="platform"/> image under
    /// <paramref name="tag"/> holds <paramref name="marker"/> (as UTF-8, or UTF-16 as .NET string literals are stored):
    /// the image was built from the source that carries it.
    /// </summary>
    public static bool Holds(string registry, string repository, string tag, string platform, string marker, int layers = 4)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}"), Timeout = TimeSpan.FromMinutes(2) };
        var (_, _, index) = Get(http, $"/v2/{repository}/manifests/{tag}");
        var child = index!.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(c => $"{c.GetProperty("platform").GetProperty("os").GetString()}/{c.GetProperty("platform").GetProperty("architecture").GetString()}" == platform);
        var (_, _, manifest) = Get(http, $"/v2/{repository}/manifests/{child.GetProperty("digest").GetString()}");
        byte[][] needles = [System.Text.Encoding.UTF8.GetBytes(marker), System.Text.Encoding.Unicode.GetBytes(marker)];
        foreach (var layer in manifest!.RootElement.GetProperty("layers").EnumerateArray().Reverse().Take(layers))
        {
            using var blob = http.GetStreamAsync($"/v2/{repository}/blobs/{layer.GetProperty("digest").GetString()}").GetAwaiter().GetResult();
            using var gzip = new System.IO.Compression.GZipStream(blob, System.IO.Compression.CompressionMode.Decompress);
            var bytes = new MemoryStream();
            gzip.CopyTo(bytes);
            if (needles.Any(n => bytes.GetBuffer().AsSpan(0, (int)bytes.Length).IndexOf(n) >= 0))
            {
                return true;
            }
        }

        return false;
    }

    private static (HttpStatusCode Status, string? Digest, JsonDocument? Body) Get(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new(type));
        }

        using var response = http.Send(request);
        if (!response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null, null);
        }

        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
        return (response.StatusCode, digest, JsonDocument.Parse(response.Content.ReadAsStream()));
    }
}
