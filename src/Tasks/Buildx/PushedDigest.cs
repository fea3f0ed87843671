using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// A digest file of ContainerPushByDigest: one line `registry/repository@sha256:…`, the image one runner (or one
/// builder) pushed for its platform; ContainerMergeDigests makes one index of several.
/// </summary>
internal static class PushedDigest
{
    /// <summary>
    /// The OCI archive a push by digest goes through on the docker driver (which cannot push by digest): buildx writes
    /// it next to <paramref name="file"/> (the metadata file), <see cref="PushImageByDigest"/> pushes it.
    /// </summary>
    public static string ArchiveNextTo(string file) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "push-by-digest.oci.tar");

    /// <summary>Writes `repository@digest` to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, string repository, string digest) =>
        Files.AtomicFile.Write(path, repository + "@" + digest + "\n");

    /// <summary>The image reference a digest file holds; STV1403 when the file is missing or holds no `name@sha256:…`.</summary>
    public static ImageReference Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DiagnosticException("DigestFileUnreadable", path, e.Message);
        }

        ImageReference? reference = null;
        try
        {
            reference = ImageReference.Parse(text, "ContainerDigestFiles");
        }
        catch (DiagnosticException)
        {
            // reported below, naming the file
        }

        return reference is { Digest: { } digest } && digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length == 71
            ? reference
            : throw new DiagnosticException("DigestFileUnreadable", path, "it holds '" + text + "', not registry/repository@sha256:<64 hex digits>");
    }
}
