using System.Text.Json;
using System.Text.RegularExpressions;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Engine;

namespace Stevedore.Tasks.Images;

/// <summary>
/// Pins an image to the digest its tag points to now (ContainerPinBaseImages) through `docker buildx imagetools
/// inspect`: the registry is asked with the credentials the docker CLI already has (docker login, credential helpers,
/// DOCKER_CONFIG), so a private base image pins like a public one; a multi-platform tag pins to its index.
/// </summary>
internal sealed partial class ImageDigest(DockerCli cli)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary><paramref name="image"/> as image:tag@sha256:…; unchanged when it already names a digest or is scratch. STV3102 when the registry does not tell.</summary>
    public string Pin(string image, string property)
    {
        var reference = ImageReference.Parse(image, property);
        // scratch is no image in any registry: there is nothing to pin.
        if (reference.Digest is not null || (reference.Registry is null && reference.Repository == "scratch"))
        {
            return image;
        }

        var docker = cli.Find() ?? throw new DiagnosticException("BaseImageNotPinned", image, property, "no docker CLI on PATH");
        var result = cli.Run(docker, Arguments(image), Timeout);
        if (result.ExitCode != 0)
        {
            var reason = result.StdErr.Trim().Split('\n')[0].Trim();
            throw new DiagnosticException("BaseImageNotPinned", image, property,
                reason.Length > 0 ? reason : $"docker buildx imagetools inspect exited with {result.ExitCode}");
        }

        var digest = Parse(result.StdOut)
            ?? throw new DiagnosticException("BaseImageNotPinned", image, property, "docker buildx imagetools inspect printed no digest");
        return (reference with { Digest = digest }).ToString();
    }

    /// <summary>The exact docker arguments: the descriptor of what the tag points to (an index for a multi-platform tag).</summary>
    internal static IReadOnlyList<string> Arguments(string image) => ["buildx", "imagetools", "inspect", image, "--format", "{{json .Manifest}}"];

    /// <summary>The "digest" of the printed descriptor, or null when there is none.</summary>
    internal static string? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("digest", out var digest)
                && digest.ValueKind == JsonValueKind.String
                && DigestPattern().IsMatch(digest.GetString()!)
                    ? digest.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();
}
