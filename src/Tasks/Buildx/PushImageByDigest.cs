using System.Text.Json;
using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// ContainerPushByDigest, after the build: on the docker driver (which cannot push by digest) pushes the OCI archive
/// buildx exported (<see cref="ArchivePush"/>); elsewhere buildx pushed by digest itself and the metadata file names
/// the digest. Writes `repository@digest` to the digest file for a later merge (ContainerMergeDigests); no tag moves.
/// </summary>
public sealed class PushImageByDigest : StevedoreTask
{
    /// <summary>The image's references; the first names the repository (its tag is not pushed).</summary>
    [Required]
    public string[] Images { get; set; } = [];

    /// <summary>The build's --metadata-file: the digest buildx pushed, and the folder of the docker driver's archive.</summary>
    [Required]
    public string MetadataFile { get; set; } = string.Empty;

    /// <summary>Where `repository@digest` is written.</summary>
    [Required]
    public string DigestFile { get; set; } = string.Empty;

    /// <summary>The project's name, for the "Api -> repository@digest" line a publish prints for its output.</summary>
    public string? ProjectName { get; set; }

    /// <summary>The digest pushed.</summary>
    [Output]
    public string Digest { get; private set; } = string.Empty;

    /// <summary>Pushes an archive (tests replace the registry).</summary>
    internal Func<string, string, string> PushArchive { get; set; } = (archive, repository) =>
    {
        using var push = new ArchivePush();
        return push.Push(archive, repository);
    };

    protected override void Run()
    {
        var repository = (ImageReference.Parse(Images.FirstOrDefault() ?? string.Empty, "ContainerRepository") with { Tag = null, Digest = null }).ToString();
        var archive = PushedDigest.ArchiveNextTo(MetadataFile);
        if (File.Exists(archive))
        {
            Digest = PushArchive(archive, repository);
            File.Delete(archive);
        }
        else
        {
            try
            {
                Digest = BuildMetadata.Read(MetadataFile).Digest ?? string.Empty;
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                throw new DiagnosticException("MetadataUnreadable", MetadataFile, e.Message);
            }
        }

        if (Digest.Length == 0)
        {
            return; // nothing was pushed: the build's own error says why
        }

        PushedDigest.Write(DigestFile, repository, Digest);
        Log.LogMessage(MessageImportance.High, "Stevedore: pushed {0}@{1} by digest; digest file {2}", repository, Digest, DigestFile);
        if (!string.IsNullOrEmpty(ProjectName))
        {
            Log.LogMessage(MessageImportance.High, "{0} -> {1}@{2}", ProjectName, repository, Digest);
        }
    }
}
