using System.Text.RegularExpressions;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Images;

/// <summary>
/// ContainerRegistry (and ContainerBaseImageRegistry) as users write them: a registry host[:port] with an optional
/// path that prefixes every repository there (ghcr.io/my-org, docker.io/user, harbor.example.com/project).
/// </summary>
internal sealed partial record RegistryPrefix(string Host, string? Path)
{
    public override string ToString() => Path is null ? Host : Host + "/" + Path;

    /// <summary>The repository as it lives in this registry: the path, then the repository.</summary>
    public string Repository(string repository) => Path is null ? repository : Path + "/" + repository;

    /// <summary>registry/path/repository:tag.</summary>
    public string Tag(string repository, string tag) => Host + "/" + Repository(repository) + ":" + tag;

    /// <summary>Parses host[:port][/path] (STV1004 for a scheme, a bad host or a path that is no repository prefix: the path follows the repository grammar).</summary>
    public static RegistryPrefix Parse(string value)
    {
        var trimmed = value.Trim().TrimEnd('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? trimmed : trimmed[..slash];
        var path = slash < 0 ? null : trimmed[(slash + 1)..];
        if (!HostPattern().IsMatch(host) || (path is not null && !ImageReference.IsRepositoryName(path)))
        {
            throw new DiagnosticException("InvalidRegistry", value);
        }

        return new RegistryPrefix(host, path);
    }

    [GeneratedRegex(@"^(localhost|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(:[0-9]{1,5})?$")]
    private static partial Regex HostPattern();
}
