using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>
/// A multi-platform image (amd64 + arm64, one layer holding one file) written straight into a registry through its API,
/// with content no earlier build saw: the engine has none of its blobs, so building FROM it really pulls them.
/// </summary>
public static class CraftedImage
{
    /// <summary>Pushes <paramref name="registry"/>/<paramref name="repository"/>:<paramref name="tag"/>; returns the index digest.</summary>
    public static string Push(string registry, string repository, string tag)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry}"), Timeout = TimeSpan.FromSeconds(30) };
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            // Some kilobytes of unique bytes, so a download can be broken mid-body.
            var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(tag + Guid.NewGuid().ToString("N"), 2000)));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "base-id") { DataStream = new MemoryStream(content), Mode = (UnixFileMode)0b110_100_100 });
        }

        var diffId = Digest(tar.ToArray());
        var layer = new MemoryStream();
        using (var gzip = new GZipStream(layer, CompressionLevel.NoCompression, leaveOpen: true))
        {
            gzip.Write(tar.ToArray());
        }

        var layerDescriptor = Blob(http, repository, layer.ToArray(), "application/vnd.oci.image.layer.v1.tar+gzip");
        var manifests = new List<object>();
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            var config = JsonSerializer.SerializeToUtf8Bytes(new { architecture = arch, os = "linux", config = new { WorkingDir = "/" }, rootfs = new { type = "layers", diff_ids = new[] { diffId } } });
            var configDescriptor = Blob(http, repository, config, "application/vnd.oci.image.config.v1+json");
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = "application/vnd.oci.image.manifest.v1+json", config = configDescriptor, layers = new[] { layerDescriptor } });
            var digest = Manifest(http, repository, Digest(manifest), manifest, "application/vnd.oci.image.manifest.v1+json");
            manifests.Add(new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest, size = manifest.Length, platform = new { architecture = arch, os = "linux" } });
        }

        var index = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = "application/vnd.oci.image.index.v1+json", manifests });
        return Manifest(http, repository, tag, index, "application/vnd.oci.image.index.v1+json");
    }

    private static object Blob(HttpClient http, string repository, byte[] bytes, string mediaType)
    {
        var digest = Digest(bytes);
        using var start = http.PostAsync($"/v2/{repository}/blobs/uploads/", null).GetAwaiter().GetResult();
        Assert.AreEqual(HttpStatusCode.Accepted, start.StatusCode, $"starting an upload to {repository}");
        var location = start.Headers.Location!.ToString();
        var put = location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + digest;
        using var done = http.PutAsync(put, new ByteArrayContent(bytes)).GetAwaiter().GetResult();
        Assert.AreEqual(HttpStatusCode.Created, done.StatusCode, $"uploading {digest} to {repository}");
        return new { mediaType, digest, size = bytes.Length };
    }

    private static string Manifest(HttpClient http, string repository, string reference, byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new(mediaType);
        using var put = http.PutAsync($"/v2/{repository}/manifests/{reference}", content).GetAwaiter().GetResult();
        Assert.AreEqual(HttpStatusCode.Created, put.StatusCode, $"putting {repository}:{reference}: {put.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        return Digest(bytes);
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
