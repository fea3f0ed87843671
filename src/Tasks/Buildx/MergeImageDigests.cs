using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Engine;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// One multi-platform index from images pushed by digest (ContainerPushByDigest, one per platform, maybe each on
/// another builder or CI runner): `docker buildx imagetools create -t &lt;tag&gt;… repository@digest…`. The tags move
/// only here, once every platform is pushed.
/// </summary>
public sealed class MergeImageDigests : StevedoreTask
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The digest files (one `registry/repository@sha256:…` line each) that ContainerPushByDigest wrote; none is STV1405.</summary>
    public ITaskItem[] DigestFiles { get; set; } = [];

    /// <summary>The full image references the index gets (the project's tags).</summary>
    [Required]
    public string[] Tags { get; set; } = [];

    /// <summary>The builder whose registry settings imagetools uses (ContainerBuilder); empty: the current one.</summary>
    public string? Builder { get; set; }

    /// <summary>The index's digest.</summary>
    [Output]
    public string IndexDigest { get; private set; } = string.Empty;

    /// <summary>Seam for tests: runs docker.</summary>
    internal DockerCli Cli { get; set; } = new();

    protected override void Run()
    {
        var sources = DigestFiles.Select(f => PushedDigest.Read(f.ItemSpec)).ToList();
        var arguments = Arguments(sources, Tags, Builder);
        var docker = Cli.Find() ?? throw new DiagnosticException("DockerNotFound", "docker");
        Log.LogMessage(MessageImportance.High, "Stevedore: docker {0}", string.Join(' ', arguments.Select(BuildxCommand.Quote)));
        var result = Cli.Run(docker, arguments, Timeout);
        foreach (var line in (result.StdOut + result.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Log.LogMessage(MessageImportance.Normal, "{0}", line.TrimEnd('\r'));
        }

        if (result.ExitCode != 0)
        {
            throw new DiagnosticException("ImageIndexFailed", Tags[0], result.ExitCode);
        }

        // The digest of the bytes the registry serves for the tag now: the index just made.
        var raw = Cli.Run(docker, ["buildx", "imagetools", "inspect", "--raw", Tags[0]], Timeout);
        if (raw.ExitCode == 0)
        {
            IndexDigest = "sha256:" + Files.TextHash.Sha256Hex(raw.StdOut.TrimEnd('\n'));
        }

        Log.LogMessage(MessageImportance.High, "Stevedore: index {0} ({1}) from {2}", string.Join(", ", Tags), IndexDigest, string.Join(", ", sources));
    }

    /// <summary>
    /// `buildx imagetools create` for <paramref name="sources"/>, which must all be digests of the tags' repository
    /// (STV1405 otherwise: an index cannot point into another repository without copying).
    /// </summary>
    internal static IReadOnlyList<string> Arguments(IReadOnlyList<ImageReference> sources, IReadOnlyList<string> tags, string? builder)
    {
        if (sources.Count == 0 || tags.Count == 0)
        {
            throw new DiagnosticException("DigestFilesMismatch", sources.Count == 0 ? "no digest file was given" : "the project has no tag");
        }

        var repository = (ImageReference.Parse(tags[0], "ContainerRepository") with { Tag = null, Digest = null }).ToString();
        var foreign = sources.Where(s => (s with { Digest = null, Tag = null }).ToString() != repository).ToList();
        if (foreign.Count > 0)
        {
            throw new DiagnosticException("DigestFilesMismatch", $"{string.Join(", ", foreign)} is not in {repository}");
        }

        var args = new List<string> { "buildx", "imagetools", "create" };
        if (!string.IsNullOrWhiteSpace(builder))
        {
            args.Add("--builder");
            args.Add(builder);
        }

        foreach (var tag in tags)
        {
            args.Add("--tag");
            args.Add(tag);
        }

        args.AddRange(sources.Select(s => s.ToString()).Distinct(StringComparer.Ordinal));
        return args;
    }
}
