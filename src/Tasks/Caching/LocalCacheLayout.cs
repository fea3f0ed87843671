using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Caching;

/// <summary>What a prune of a local cache did.</summary>
internal sealed record PruneResult(int BlobsRemoved, long BytesFreed, int ManifestsDropped, long BytesLeft);

/// <summary>
/// The OCI layout a `type=local` cache export writes (index.json + blobs/&lt;alg&gt;/&lt;hex&gt;). buildx never deletes from
/// it, so it grows with every export. Pruning removes the blobs nothing in index.json reaches, then, over a size
/// cap, drops the oldest index entries (never the newest) and their now-unreferenced blobs. index.json is replaced
/// atomically; blobs newer than it belong to an export still running and are left alone.
/// </summary>
internal sealed partial class LocalCacheLayout(string root)
{
    private static readonly string[] Containers = ["manifests", "layers"];

    public string Root { get; } = root;

    private string IndexPath => Path.Combine(Root, "index.json");

    /// <summary>Parses `2GB`, `500MB`, `1.5 GB`, `1048576` (1024-based units); STV3012 otherwise.</summary>
    public static long ParseSize(string text)
    {
        var match = SizePattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            throw new DiagnosticException("InvalidCacheSize", text);
        }

        var unit = match.Groups["unit"].Value.ToUpperInvariant().TrimEnd('B', 'I');
        var power = unit switch { "" => 0, "K" => 1, "M" => 2, "G" => 3, _ => 4 };
        return (long)(n * Math.Pow(1024, power));
    }

    public PruneResult Prune(long? maxBytes)
    {
        if (!File.Exists(IndexPath))
        {
            return new PruneResult(0, 0, 0, 0);
        }

        var index = JsonNode.Parse(File.ReadAllText(IndexPath))!.AsObject();
        var entries = index["manifests"]?.AsArray() ?? [];
        var cutoff = File.GetLastWriteTimeUtc(IndexPath);
        var (removed, freed) = RemoveUnreferenced(entries, cutoff);
        var dropped = 0;
        while (maxBytes is { } max && Size() > max && entries.Count > 1)
        {
            // Oldest first: the entry whose top blob was written longest ago.
            var oldest = entries.OrderBy(e => File.GetLastWriteTimeUtc(BlobPath((string)e!["digest"]!))).First()!;
            entries.Remove(oldest);
            dropped++;
            WriteIndex(index);
            cutoff = File.GetLastWriteTimeUtc(IndexPath);
            var (r, f) = RemoveUnreferenced(entries, cutoff);
            removed += r;
            freed += f;
        }

        return new PruneResult(removed, freed, dropped, Size());
    }

    private (int Removed, long Freed) RemoveUnreferenced(JsonArray entries, DateTime cutoff)
    {
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            Walk(entry, reachable);
        }

        var removed = 0;
        long freed = 0;
        foreach (var blob in Blobs())
        {
            var digest = Path.GetFileName(Path.GetDirectoryName(blob)) + ":" + Path.GetFileName(blob);
            var info = new FileInfo(blob);
            if (!reachable.Contains(digest) && info.LastWriteTimeUtc <= cutoff)
            {
                freed += info.Length;
                info.Delete();
                removed++;
            }
        }

        return (removed, freed);
    }

    // A descriptor, then (for an index or manifest) what it lists: manifests, config, layers.
    private void Walk(JsonNode? descriptor, HashSet<string> reachable)
    {
        if (descriptor?["digest"]?.GetValue<string>() is not { } digest || !reachable.Add(digest))
        {
            return;
        }

        var mediaType = descriptor["mediaType"]?.GetValue<string>() ?? string.Empty;
        var path = BlobPath(digest);
        if (!(mediaType.Contains("index", StringComparison.Ordinal) || mediaType.Contains("manifest", StringComparison.Ordinal)) || !File.Exists(path))
        {
            return;
        }

        JsonNode? content;
        try
        {
            content = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return; // not JSON after all: a leaf
        }

        Walk(content?["config"], reachable);
        foreach (var list in Containers)
        {
            foreach (var child in content?[list]?.AsArray() ?? [])
            {
                Walk(child, reachable);
            }
        }
    }

    private IEnumerable<string> Blobs()
    {
        var blobs = Path.Combine(Root, "blobs");
        return Directory.Exists(blobs)
            ? Directory.EnumerateDirectories(blobs).SelectMany(Directory.EnumerateFiles).Where(f => HexName().IsMatch(Path.GetFileName(f))).ToList()
            : [];
    }

    private long Size() => Blobs().Sum(f => new FileInfo(f).Length);

    private string BlobPath(string digest) => digest.Split(':') is [var alg, var hex] ? Path.Combine(Root, "blobs", alg, hex) : Path.Combine(Root, "blobs", digest);

    private void WriteIndex(JsonObject index)
    {
        Files.AtomicFile.Write(IndexPath, index.ToJsonString());
    }

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)\s*(?<unit>([KMGT]i?)?B?)$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();

    [GeneratedRegex("^[0-9a-f]{32,128}$")]
    private static partial Regex HexName();
}
