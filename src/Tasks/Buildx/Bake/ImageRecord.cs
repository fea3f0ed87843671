using System.Text.Json;

namespace Stevedore.Tasks.Buildx.Bake;

/// <summary>
/// What the last solution publish built for a project: the digest of the image's inputs (<see cref="ImageInputs"/>),
/// the image digest it pushed and the tags it moved. Kept beside the project's report (obj/…/stevedore/image-inputs.json);
/// the next publish leaves the project out of its bake when the inputs are the same and every tag still points to that
/// image in the registry.
/// </summary>
internal sealed record ImageRecord(string Inputs, string Digest, IReadOnlyList<string> Tags)
{
    public const string FileName = "image-inputs.json";

    /// <summary>The record in <paramref name="directory"/>, or null when there is none or it cannot be read.</summary>
    public static ImageRecord? Read(string directory)
    {
        if (directory.Length == 0)
        {
            return null;
        }

        try
        {
            var path = Path.Combine(directory, FileName);
            return File.Exists(path) ? JsonSerializer.Deserialize<ImageRecord>(File.ReadAllText(path)) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null; // rebuilt, and written again
        }
    }

    public void Write(string directory) =>
        Files.AtomicFile.Write(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>Removes the record: the project's image is no longer known to match its inputs.</summary>
    public static void Forget(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
