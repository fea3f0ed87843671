using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Images;

/// <summary>
/// The image options read from the project alone (platforms, registries, repository, tags, output mode): one piece of
/// code that StevedoreCheckOptions calls to refuse a bad value first and StevedoreResolveImages calls to use it.
/// </summary>
internal static class ImageNames
{
    /// <summary>ContainerPlatforms wins; else the SDK's runtime identifiers; else the host's platform (STV1001).</summary>
    public static IReadOnlyList<ContainerPlatform> Platforms(string? platforms, string? runtimeIdentifiers)
    {
        if (!string.IsNullOrWhiteSpace(platforms) || string.IsNullOrWhiteSpace(runtimeIdentifiers))
        {
            return ContainerPlatform.ParseList(platforms);
        }

        return Msbuild.PropertyList.Split(runtimeIdentifiers)
            .Select(ContainerPlatform.FromRuntimeIdentifier)
            .Distinct()
            .ToList();
    }

    /// <summary>ContainerBaseImageRegistry: the mirror for every default image, or null (STV1004).</summary>
    public static string? Mirror(string? baseImageRegistry) =>
        string.IsNullOrWhiteSpace(baseImageRegistry) ? null : RegistryPrefix.Parse(baseImageRegistry).ToString();

    /// <summary>LocalRegistry: Docker (or empty) only (STV1036).</summary>
    public static void LocalRegistry(string? localRegistry)
    {
        if (!string.IsNullOrWhiteSpace(localRegistry) && !localRegistry.Trim().Equals("Docker", StringComparison.OrdinalIgnoreCase))
        {
            throw new DiagnosticException("LocalRegistryNotSupported", localRegistry.Trim());
        }
    }

    /// <summary>The registry pushed to, or null when the image is loaded or archived (STV1004; STV1011 with an archive).</summary>
    public static RegistryPrefix? Registry(string? registry, string? archiveOutputPath)
    {
        // A registry may carry a path (ghcr.io/my-org): it prefixes the repository.
        var prefix = string.IsNullOrWhiteSpace(registry) ? null : RegistryPrefix.Parse(registry);
        if (prefix is not null && !string.IsNullOrWhiteSpace(archiveOutputPath))
        {
            throw new DiagnosticException("InvalidOutputMode", archiveOutputPath, prefix.ToString());
        }

        return prefix;
    }

    /// <summary>Full references [registry/]repository:tag, one per distinct tag (STV1002, STV1003).</summary>
    public static string[] References(RegistryPrefix? registry, string repository, string[] tags)
    {
        var name = ImageReference.ValidateRepository(repository.Trim());
        return Msbuild.PropertyList.Split(tags)
            .Select(ImageReference.ValidateTag)
            .Distinct(StringComparer.Ordinal)
            .Select(tag => registry is null ? name + ":" + tag : registry.Tag(name, tag))
            .ToArray();
    }

    /// <summary>An image the user named (ContainerBuildImage, ContainerBaseImage), as written.</summary>
    public static string UserImage(string user, string property) => ImageReference.Parse(user, property).ToString();
}
