using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Buildx.Bake;

/// <summary>
/// One digest of everything a bake target's image is made from: the target (platforms, tags, output with its
/// source-date-epoch, caches, secrets' ids, attestations, network, builder), the generated Dockerfile and its ignore file,
/// the digest every base image's tag points to now, and every file the Dockerfile's COPY steps take from the context
/// (path, mode and content, after the ignore file), and the Stevedore version that wrote them. The same digest means
/// BuildKit would find every step CACHED and write the same image: a reproducible one (source-date-epoch), pushed.
/// Null when the inputs cannot all be named: a Dockerfile of the user's, one that reads the context in a way
/// <see cref="DockerfileReads"/> does not follow (the build plan then has no reads), a base image whose digest nobody tells, an image not pushed to a
/// registry (loaded, written to an archive, pushed by digest only).
/// </summary>
internal sealed class ImageInputs(Func<string, string?> currentDigest)
{
    private static readonly string Version =
        typeof(ImageInputs).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    // One build hashes a file shared by several targets (a library, a local feed) once.
    private readonly Dictionary<string, byte[]> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> images = new(StringComparer.Ordinal);

    /// <summary>The digest of the target's inputs; <paramref name="reads"/> is what its build plan says the Dockerfile reads (null: not all named).</summary>
    public string? Of(BakeTarget target, string? builder, DockerfileReads? reads)
    {
        try
        {
            return reads is null ? null : Digest(target, builder, reads);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // a file that cannot be read now is no input anyone can vouch for: the project is baked
        }
    }

    private string? Digest(BakeTarget target, string? builder, DockerfileReads reads)
    {
        if (!target.Push || target.ArchivePath is not null || target.DigestFile is not null
            || target.Target["output"]?.ToJsonString().Contains("source-date-epoch=", StringComparison.Ordinal) != true
            || target.Target["dockerfile"] is not JsonValue dockerfileNode || target.Target["context"] is not JsonValue contextNode)
        {
            return null;
        }

        var dockerfile = (string)dockerfileNode!;
        var context = (string)contextNode!;
        if (!File.Exists(dockerfile) || !Directory.Exists(context))
        {
            return null;
        }

        // Its text is an input; what it reads comes from the generator's model, through the build plan.
        var text = File.ReadAllText(dockerfile);

        var ignoreFile = File.Exists(dockerfile + ".dockerignore") ? dockerfile + ".dockerignore" : Path.Combine(context, ".dockerignore");
        var ignoreText = File.Exists(ignoreFile) ? File.ReadAllText(ignoreFile) : string.Empty;
        var ignore = IgnorePatterns.Parse(ignoreText);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(hash, "stevedore", Version);
        Add(hash, "builder", builder ?? string.Empty);
        Add(hash, "target", target.ToJson().ToJsonString());
        Add(hash, "dockerfile", text);
        Add(hash, "ignore", ignoreText);
        foreach (var image in reads.Images)
        {
            if (!images.TryGetValue(image, out var digest))
            {
                images[image] = digest = currentDigest(image);
            }

            if (digest is null)
            {
                return null;
            }

            Add(hash, "image", image + "@" + digest);
        }

        var root = new DirectoryInfo(context).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(context);
        foreach (var path in reads.ContextPaths)
        {
            var relative = string.Join('/', path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
            if (relative.Split('/').Contains(".."))
            {
                return null;
            }

            Add(hash, "copy", relative);
            AddPath(hash, root, relative, ignore);
        }

        return "sha256:" + Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private void AddPath(IncrementalHash hash, string root, string relative, IgnorePatterns ignore)
    {
        var full = relative.Length == 0 ? root : Path.Combine(root, relative);
        var info = new FileInfo(full);
        if (info.LinkTarget is { } link)
        {
            if (!ignore.Ignores(relative))
            {
                Add(hash, "link", relative + " -> " + link);
            }
        }
        else if (Directory.Exists(full))
        {
            if (relative.Length > 0 && ignore.Ignores(relative) && !ignore.HasExclusions)
            {
                return; // nothing below an ignored folder can come back in without a `!` pattern
            }

            var entries = Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
            foreach (var name in entries)
            {
                AddPath(hash, root, relative.Length == 0 ? name! : relative + "/" + name, ignore);
            }
        }
        else if (info.Exists)
        {
            if (!ignore.Ignores(relative))
            {
                Add(hash, "file", relative + " " + Convert.ToString(OperatingSystem.IsWindows() ? 0 : (int)info.UnixFileMode, 8));
                hash.AppendData(Content(full));
            }
        }
        else
        {
            Add(hash, "missing", relative);
        }
    }

    private byte[] Content(string path)
    {
        if (!files.TryGetValue(path, out var digest))
        {
            using var stream = File.OpenRead(path);
            files[path] = digest = SHA256.HashData(stream);
        }

        return digest;
    }

    private static void Add(IncrementalHash hash, string kind, string value) =>
        hash.AppendData(Encoding.UTF8.GetBytes(kind + "\0" + value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\0" + value + "\n"));
}
