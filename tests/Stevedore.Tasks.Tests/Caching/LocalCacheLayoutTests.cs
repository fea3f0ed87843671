using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Tests.Caching;

/// <summary>A synthetic OCI layout shaped like a buildx local cache export: index.json → cache index → layers + cache config.</summary>
[TestClass]
public sealed class LocalCacheLayoutTests
{
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";
    private string root = string.Empty;
    private DateTime clock = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [TestInitialize]
    public void Create() => root = Stevedore.Testing.Repo.NewTempFolder("local-cache");

    [TestCleanup]
    public void Delete() => Directory.Delete(root, recursive: true);

    [TestMethod]
    public void UnreferencedBlobsGoReferencedStay()
    {
        var (entry, kept) = Export("one", 100);
        var stray = Blob(new string('x', 500));
        WriteIndex(entry);

        var result = new LocalCacheLayout(root).Prune(maxBytes: null);

        Assert.AreEqual(1, result.BlobsRemoved);
        Assert.AreEqual(500, result.BytesFreed);
        Assert.IsFalse(File.Exists(Path(stray)));
        Assert.IsTrue(kept.All(d => File.Exists(Path(d))), "every blob index.json reaches stays");
    }

    [TestMethod]
    public void BlobsNewerThanTheIndexBelongToARunningExport()
    {
        var (entry, _) = Export("one", 100);
        WriteIndex(entry);
        var inFlight = Blob("being written");

        Assert.AreEqual(0, new LocalCacheLayout(root).Prune(null).BlobsRemoved);
        Assert.IsTrue(File.Exists(Path(inFlight)));
    }

    [TestMethod]
    public void OverTheCapTheOldestEntriesGoButNeverTheNewest()
    {
        var (old, oldBlobs) = Export("old", 1000);
        var (middle, _) = Export("middle", 1000);
        var (newest, newestBlobs) = Export("new", 1000);
        WriteIndex(old, middle, newest);

        var result = new LocalCacheLayout(root).Prune(maxBytes: 1500);

        Assert.AreEqual(2, result.ManifestsDropped);
        var index = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(root, "index.json")))!;
        Assert.AreEqual(newest["digest"]!.GetValue<string>(), index["manifests"]!.AsArray().Single()!["digest"]!.GetValue<string>());
        Assert.IsTrue(newestBlobs.All(d => File.Exists(Path(d))));
        Assert.IsFalse(oldBlobs.Any(d => File.Exists(Path(d))));
        Assert.IsFalse(File.Exists(System.IO.Path.Combine(root, "index.json.tmp")));
        Assert.IsGreaterThan(2000L, result.BytesFreed);
    }

    [TestMethod]
    public void SharedLayersSurviveTheirOldEntry()
    {
        var shared = Blob(new string('s', 800));
        var (old, _) = Export("old", 10, shared);
        var (newest, _) = Export("new", 10, shared);
        WriteIndex(old, newest);

        new LocalCacheLayout(root).Prune(maxBytes: 100);

        Assert.IsTrue(File.Exists(Path(shared)));
    }

    [TestMethod]
    public void NoLayoutNoWork() => Assert.AreEqual(0, new LocalCacheLayout(System.IO.Path.Combine(root, "none")).Prune(1).BlobsRemoved);

    [TestMethod]
    [DataRow("2GB", 2L * 1024 * 1024 * 1024)]
    [DataRow("500 MiB", 500L * 1024 * 1024)]
    [DataRow("1.5g", 1610612736L)]
    [DataRow("1048576", 1048576L)]
    [DataRow("10kb", 10240L)]
    public void Sizes(string text, long bytes) => Assert.AreEqual(bytes, LocalCacheLayout.ParseSize(text));

    [TestMethod]
    [DataRow("big")]
    [DataRow("-1GB")]
    [DataRow("2 PB")]
    public void BadSizeIsStv3012(string text) =>
        StringAssert.StartsWith(Assert.ThrowsExactly<DiagnosticException>(() => LocalCacheLayout.ParseSize(text)).Text, "STV3012: ");

    // One export: two layers, a cache config and the cache index that lists them.
    private (JsonObject Entry, string[] Blobs) Export(string name, int layerSize, string? sharedLayer = null)
    {
        var layers = new[] { Blob(name + "-a" + new string('a', layerSize)), Blob(name + "-b" + new string('b', layerSize)) }
            .Concat(sharedLayer is null ? [] : [sharedLayer]).ToArray();
        var config = Blob("{\"layers\":[],\"records\":[],\"name\":\"" + name + "\"}");
        var manifests = new JsonArray(layers.Select(d => (JsonNode)Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", d)).Append(Descriptor("application/vnd.buildkit.cacheconfig.v0", config)).ToArray());
        var cacheIndex = Blob(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciIndex, ["manifests"] = manifests }.ToJsonString());
        return (Descriptor(OciIndex, cacheIndex), [.. layers, config, cacheIndex]);
    }

    private JsonObject Descriptor(string mediaType, string digest) =>
        new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = new FileInfo(Path(digest)).Length };

    private string Blob(string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var digest = "sha256:" + Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        Directory.CreateDirectory(System.IO.Path.Combine(root, "blobs", "sha256"));
        File.WriteAllBytes(Path(digest), bytes);
        File.SetLastWriteTimeUtc(Path(digest), clock = clock.AddMinutes(1));
        return digest;
    }

    private void WriteIndex(params JsonObject[] entries)
    {
        var path = System.IO.Path.Combine(root, "index.json");
        File.WriteAllText(path, new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(entries.Select(e => (JsonNode)e.DeepClone()).ToArray()) }.ToJsonString());
        File.SetLastWriteTimeUtc(path, clock = clock.AddMinutes(1));
    }

    private string Path(string digest) => System.IO.Path.Combine(root, "blobs", "sha256", digest["sha256:".Length..]);
}
