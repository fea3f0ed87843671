using System.Text.Json;

namespace Stevedore.Tasks.Buildx;

/// <summary>What buildx's --metadata-file says of a build: the image (or index) digest and descriptor, the build ref.</summary>
internal sealed record BuildMetadata(string? Digest, string? MediaType, long? Size, string? BuildRef)
{
    private static readonly BuildMetadata None = new(null, null, null, null);

    /// <summary>Reads the metadata of a parsed file; anything else (no file, not an object) has no values.</summary>
    public static BuildMetadata From(JsonElement? metadata)
    {
        if (metadata is not { ValueKind: JsonValueKind.Object } m)
        {
            return None;
        }

        string? mediaType = null;
        long? size = null;
        if (m.TryGetProperty("containerimage.descriptor", out var descriptor) && descriptor.ValueKind == JsonValueKind.Object)
        {
            mediaType = descriptor.TryGetProperty("mediaType", out var t) ? t.GetString() : null;
            size = descriptor.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : null;
        }

        return new BuildMetadata(
            m.TryGetProperty("containerimage.digest", out var d) ? d.GetString() : null,
            mediaType,
            size,
            m.TryGetProperty("buildx.build.ref", out var r) ? r.GetString() : null);
    }

    /// <summary>Parses the metadata file; IOException, JsonException and UnauthorizedAccessException are the caller's to report.</summary>
    public static BuildMetadata Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        return From(json.RootElement);
    }
}
