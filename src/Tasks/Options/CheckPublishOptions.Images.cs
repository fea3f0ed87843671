using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Options;

/// <summary>The image options StevedoreResolveImages uses: platforms, registries, repository, tags, output mode.</summary>
public sealed partial class CheckPublishOptions
{
    /// <summary>ContainerPlatforms as the user wrote it.</summary>
    public string? Platforms { get; set; }

    /// <summary>The runtime identifiers the project set (the platforms when ContainerPlatforms is empty).</summary>
    public string? RuntimeIdentifiers { get; set; }

    /// <summary>ContainerPlatformBuilders: platform=builder pairs.</summary>
    public string? PlatformBuilders { get; set; }

    /// <summary>ContainerBaseImageRegistry: the mirror for every default image.</summary>
    public string? BaseImageRegistry { get; set; }

    /// <summary>ContainerBaseImage as the user set it (empty: computed later).</summary>
    public string? UserBaseImage { get; set; }

    /// <summary>ContainerBuildImage as the user set it (empty: the kind's default).</summary>
    public string? UserBuildImage { get; set; }

    /// <summary>ContainerRepository (ContainerImageName, or the assembly name, when unset).</summary>
    public string? Repository { get; set; }

    /// <summary>ContainerImageTags or ContainerImageTag.</summary>
    public string[] Tags { get; set; } = [];

    /// <summary>The SDK's LocalRegistry.</summary>
    public string? LocalRegistry { get; set; }

    // STV1001–STV1004, STV1008, STV1011, STV1034, STV1036, STV1114, STV1407; the credentials (STV1037) are read with the push.
    private void CheckImages()
    {
        Dockerfiles.DotNet.NativeToolchain.Check(NativeAot, ImageNames.Platforms(Platforms, RuntimeIdentifiers));
        if (!string.IsNullOrWhiteSpace(PlatformBuilders))
        {
            ResolvePlatformBuilders.Check(PlatformBuilders, Registry);
        }

        ImageNames.LocalRegistry(LocalRegistry);
        ImageNames.Mirror(BaseImageRegistry);
        if (!string.IsNullOrWhiteSpace(UserBuildImage))
        {
            ImageNames.UserImage(UserBuildImage, "ContainerBuildImage");
        }

        if (!string.IsNullOrWhiteSpace(UserBaseImage))
        {
            ImageNames.UserImage(UserBaseImage, "ContainerBaseImage");
        }

        var registry = ImageNames.Registry(Registry, ArchiveOutputPath);
        if (!string.IsNullOrWhiteSpace(Repository))
        {
            ImageNames.References(registry, Repository, Tags);
        }
    }
}
