using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Images;

/// <summary>
/// Settles every image name of the build: the build (SDK) image, the final base image, the mirror that
/// replaces the registry of default images, the platforms, and the tags the result gets.
/// </summary>
public sealed class ResolveContainerImages : StevedoreTask
{
    /// <summary>The base image the user set (ContainerBaseImage before the .NET SDK computed one); empty means default.</summary>
    public string? UserBaseImage { get; set; }

    /// <summary>The base image the .NET SDK's ComputeContainerBaseImage returned.</summary>
    public string? ComputedBaseImage { get; set; }

    /// <summary>ContainerBuildImage; empty means mcr.microsoft.com/dotnet/sdk:&lt;TFM major.minor&gt;.</summary>
    public string? UserBuildImage { get; set; }

    /// <summary>PublishAot: the default build image is the SDK's -aot variant (clang, lld, zlib for the native link).</summary>
    public bool NativeAot { get; set; }

    /// <summary>The build image the project kind chose (Go: golang:&lt;go.mod version&gt;); empty means the .NET SDK image of <see cref="TargetFrameworkVersion"/>.</summary>
    public string? DefaultBuildImage { get; set; }

    /// <summary>The project's target framework version, e.g. v10.0 or 10.0.</summary>
    public string? TargetFrameworkVersion { get; set; }

    /// <summary>ContainerBaseImageRegistry: a mirror for every default image.</summary>
    public string? BaseImageRegistry { get; set; }

    /// <summary>ContainerRegistry: host[:port][/path]; set means the image is pushed there, the path prefixes the repository.</summary>
    public string? Registry { get; set; }

    /// <summary>ContainerRepository.</summary>
    [Required]
    public string Repository { get; set; } = string.Empty;

    /// <summary>The .NET SDK's obsolete ContainerImageName, already put in <see cref="Repository"/> as the SDK does: only warned about (STV1041).</summary>
    public string? ObsoleteImageName { get; set; }

    /// <summary>ContainerImageTags (';' list) or ContainerImageTag.</summary>
    [Required]
    public string[] Tags { get; set; } = [];

    /// <summary>ContainerImageTag when ContainerImageTags is set too (the SDK refuses the pair): only warned about (STV1042).</summary>
    public string? IgnoredTag { get; set; }

    /// <summary>ContainerPlatforms as the user wrote it.</summary>
    public string? Platforms { get; set; }

    /// <summary>The SDK's ContainerRuntimeIdentifier(s) (or the project's RuntimeIdentifier(s)): the platforms when ContainerPlatforms is empty.</summary>
    public string? RuntimeIdentifiers { get; set; }

    /// <summary>The SDK's ContainerImageFormat: Docker or OCI (checked here, before anything is generated; STV1035 otherwise).</summary>
    public string? ImageFormat { get; set; }

    /// <summary>The SDK's LocalRegistry: Docker (or empty) only (STV1036).</summary>
    public string? LocalRegistry { get; set; }

    /// <summary>Seam: reads an environment variable (SDK_CONTAINER_REGISTRY_UNAME/PWD, STV1037).</summary>
    internal Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

    /// <summary>ContainerArchiveOutputPath; cannot be combined with a registry.</summary>
    public string? ArchiveOutputPath { get; set; }

    [Output]
    public string BuildImage { get; private set; } = string.Empty;

    [Output]
    public string BaseImage { get; private set; } = string.Empty;

    /// <summary>Full references: [registry/]repository:tag.</summary>
    [Output]
    public string[] ImageReferences { get; private set; } = [];

    /// <summary>The target platforms, parsed here once, as items (StevedorePlatform): metadata Os, Architecture, Variant, RuntimeIdentifier.</summary>
    [Output]
    public ITaskItem[] PlatformItems { get; private set; } = [];

    protected override void Run()
    {
        var platforms = ImageNames.Platforms(Platforms, RuntimeIdentifiers);
        PlatformItems = [.. platforms.Select(Stevedore.Tasks.Platforms.PlatformItems.ToItem)];
        Buildx.ImageFormat.OciMediaTypes(ImageFormat);
        ImageNames.LocalRegistry(LocalRegistry);

        var mirror = ImageNames.Mirror(BaseImageRegistry);
        BuildImage = Resolve(UserBuildImage, string.IsNullOrWhiteSpace(DefaultBuildImage) ? DotnetSdkImage() : DefaultBuildImage, "ContainerBuildImage", mirror);

        var computed = string.IsNullOrWhiteSpace(ComputedBaseImage) ? throw new DiagnosticException("NoBaseImage") : ComputedBaseImage;
        BaseImage = Resolve(UserBaseImage, computed, "ContainerBaseImage", mirror);

        var registry = ImageNames.Registry(Registry, ArchiveOutputPath);

        // The SDK pushes with these; buildx never reads them, so a push would use other credentials or none.
        if (registry is not null && (!string.IsNullOrEmpty(Environment("SDK_CONTAINER_REGISTRY_UNAME")) || !string.IsNullOrEmpty(Environment("SDK_CONTAINER_REGISTRY_PWD"))))
        {
            throw new DiagnosticException("SdkRegistryCredentials", registry.Host);
        }

        if (!string.IsNullOrWhiteSpace(ObsoleteImageName))
        {
            Log.LogWarningWithCodeFromResources("ObsoleteImageName", Repository.Trim());
        }

        if (!string.IsNullOrWhiteSpace(IgnoredTag))
        {
            Log.LogWarningWithCodeFromResources("BothImageTags", IgnoredTag.Trim(), string.Join(";", Tags));
        }

        ImageReferences = ImageNames.References(registry, Repository, Tags);
    }

    // A user-chosen image is used as written; only defaults move to the mirror.
    private static string Resolve(string? user, string fallback, string property, string? mirror)
    {
        if (!string.IsNullOrWhiteSpace(user))
        {
            return ImageNames.UserImage(user, property);
        }

        var image = ImageReference.Parse(fallback, property);
        return (mirror is null ? image : image.WithRegistry(mirror)).ToString();
    }

    /// <summary>The .NET images' SDK with the Native AOT prerequisites (Ubuntu 24.04, the distribution of the -aot tags).</summary>
    public const string AotSdkTagSuffix = "-noble-aot";

    private string DotnetSdkImage()
    {
        var version = (TargetFrameworkVersion ?? string.Empty).TrimStart('v', 'V');
        var parts = version.Split('.');
        if (parts.Length < 2 || !parts.Take(2).All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            throw new DiagnosticException("NoBuildImage", TargetFrameworkVersion ?? string.Empty);
        }

        return $"mcr.microsoft.com/dotnet/sdk:{parts[0]}.{parts[1]}{(NativeAot ? AotSdkTagSuffix : string.Empty)}";
    }
}
