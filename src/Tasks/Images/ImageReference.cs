using System.Text.RegularExpressions;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Images;

/// <summary>An image reference [registry/]repository[:tag][@digest], validated like the docker reference grammar.</summary>
internal sealed partial record ImageReference(string? Registry, string Repository, string? Tag, string? Digest)
{
    public override string ToString() =>
        (Registry is null ? string.Empty : Registry + "/") + Repository
        + (Tag is null ? string.Empty : ":" + Tag)
        + (Digest is null ? string.Empty : "@" + Digest);

    /// <summary>The same image served by another registry: how a mirror (ContainerBaseImageRegistry, maybe with a path) replaces the default one.</summary>
    public ImageReference WithRegistry(string registry)
    {
        var prefix = RegistryPrefix.Parse(registry);
        return this with { Registry = prefix.Host, Repository = prefix.Repository(Repository) };
    }

    /// <summary>Parses a full reference; <paramref name="purpose"/> names the property in the STV1008 message.</summary>
    public static ImageReference Parse(string value, string purpose)
    {
        var match = ReferencePattern().Match(value.Trim());
        if (!match.Success)
        {
            throw new DiagnosticException("InvalidImage", value, purpose);
        }

        string? registry = null;
        var name = match.Groups["name"].Value;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = name[..slash];
            // Docker's rule: the first component is a registry only if it looks like a host.
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                name = name[(slash + 1)..];
            }
        }

        if (!RepositoryPattern().IsMatch(name))
        {
            throw new DiagnosticException("InvalidImage", value, purpose);
        }

        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        return new ImageReference(registry, name, tag, digest);
    }

    /// <summary>True for a name the repository grammar accepts (lower-case components separated by '/').</summary>
    public static bool IsRepositoryName(string value) => RepositoryPattern().IsMatch(value);

    /// <summary>Checks a repository name (STV1002).</summary>
    public static string ValidateRepository(string value) =>
        RepositoryPattern().IsMatch(value) && value.Length <= 255 ? value : throw new DiagnosticException("InvalidRepository", value);

    /// <summary>Checks a tag (STV1003).</summary>
    public static string ValidateTag(string value) =>
        TagPattern().IsMatch(value) ? value : throw new DiagnosticException("InvalidTag", value);


    [GeneratedRegex(@"^(?<name>[^:@/]+(:[0-9]+(?=/))?(/[^:@/]+)*)(:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@(?<digest>[a-z0-9]+:[a-f0-9]{32,}))?$")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();
}
