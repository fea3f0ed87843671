using System.Formats.Tar;
using System.Text.Json;
using Stevedore.Tasks.Engine;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// Each platform's own image digest, read from the image index the build produced: buildx's metadata file names only
/// the index, so without this every platform line of the report would show the index digest.
/// </summary>
internal static class PlatformDigests
{
    /// <summary>os/arch[/variant] → manifest digest, from an OCI index or Docker manifest list; attestation manifests are left out.</summary>
    public static IReadOnlyDictionary<string, string> FromIndex(string json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
            {
                return result;
            }

            foreach (var manifest in manifests.EnumerateArray())
            {
                if (!manifest.TryGetProperty("platform", out var platform) || !manifest.TryGetProperty("digest", out var digest)
                    || (manifest.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty("vnd.docker.reference.type", out _)))
                {
                    continue;
                }

                var os = platform.TryGetProperty("os", out var o) ? o.GetString() : null;
                var architecture = platform.TryGetProperty("architecture", out var a) ? a.GetString() : null;
                var variant = platform.TryGetProperty("variant", out var v) ? v.GetString() : null;
                if (os is null or "unknown" || architecture is null or "unknown")
                {
                    continue;
                }

                result.TryAdd(variant is null ? $"{os}/{architecture}" : $"{os}/{architecture}/{variant}", digest.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not an index: no per-platform digests.
        }

        return result;
    }

    /// <summary>The pushed index of <paramref name="image"/>, from its registry (anonymous, else through the docker CLI), or null.</summary>
    public static string? FromRegistry(string image)
    {
        using var registry = new Images.RegistryManifest(new DockerCli());
        return registry.Raw(image);
    }

    /// <summary>The image index inside an OCI archive (index.json → the index blob it points to), or null.</summary>
    public static string? FromArchive(string archive)
    {
        if (!File.Exists(archive))
        {
            return null;
        }

        try
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            using (var stream = File.OpenRead(archive))
            using (var reader = new TarReader(stream))
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    var name = entry.Name.TrimStart('.', '/');
                    if (entry.DataStream is not null && (name == "index.json" || (name.StartsWith("blobs/sha256/", StringComparison.Ordinal) && entry.Length < 1 << 20)))
                    {
                        using var copy = new MemoryStream();
                        entry.DataStream.CopyTo(copy);
                        files[name] = copy.ToArray();
                    }
                }
            }

            if (!files.TryGetValue("index.json", out var top))
            {
                return null;
            }

            using var layout = JsonDocument.Parse(top);
            var first = layout.RootElement.GetProperty("manifests").EnumerateArray().FirstOrDefault();
            // buildx writes the image index as the layout's one manifest; a single-platform archive has no index.
            return first.ValueKind == JsonValueKind.Object && first.TryGetProperty("digest", out var digest)
                && files.TryGetValue("blobs/sha256/" + digest.GetString()!["sha256:".Length..], out var index)
                ? System.Text.Encoding.UTF8.GetString(index)
                : null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or KeyNotFoundException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
