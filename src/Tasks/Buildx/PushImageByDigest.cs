using System.Text.Json;
using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;
using Stevedore.Tasks.Plan;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// ContainerPushByDigest, after the build: on the docker driver (which cannot push by digest) pushes the OCI archive
/// buildx exported (<see cref="ArchivePush"/>); elsewhere buildx pushed by digest itself and the metadata file names
/// the digest. Writes `repository@digest` to the digest file for a later merge (ContainerMergeDigests); no tag moves.
/// </summary>
public sealed class PushImageByDigest : PlanTask
{
    /// <summary>Where `repository@digest` is written (the plan's).</summary>
    internal string? DigestFile => Current.DigestFile;

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
        if (!Current.PushByDigest || Current.DigestFile is not { } digestFile || Current.Files.Metadata is not { } metadataFile)
        {
            return;
        }

        var repository = Current.Repository
            ?? (ImageReference.Parse(Current.Images.FirstOrDefault() ?? string.Empty, "ContainerRepository") with { Tag = null, Digest = null }).ToString();
        var archive = PushedDigest.ArchiveNextTo(metadataFile);
        if (File.Exists(archive))
        {
            Digest = PushArchive(archive, repository);
            File.Delete(archive);
        }
        else
        {
            try
            {
                Digest = BuildMetadata.Read(metadataFile).Digest ?? string.Empty;
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                throw new DiagnosticException("MetadataUnreadable", metadataFile, e.Message);
            }
        }

        if (Digest.Length == 0)
        {
            return; // nothing was pushed: the build's own error says why
        }

        PushedDigest.Write(digestFile, repository, Digest);
        Log.LogMessage(MessageImportance.High, "Stevedore: pushed {0}@{1} by digest; digest file {2}", repository, Digest, digestFile);
        Log.LogMessage(MessageImportance.High, "{0} -> {1}@{2}", Current.Project, repository, Digest);
    }
}
