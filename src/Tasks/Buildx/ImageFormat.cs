using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Buildx;

/// <summary>The SDK's ContainerImageFormat: Docker or OCI manifest media types, as buildx's `oci-mediatypes` output option.</summary>
internal static class ImageFormat
{
    /// <summary>true for OCI, false for Docker, null when unset (buildx's default); STV1035 for anything else.</summary>
    public static bool? OciMediaTypes(string? value) => value?.Trim() switch
    {
        null or "" => null,
        var v when v.Equals("OCI", StringComparison.OrdinalIgnoreCase) => true,
        var v when v.Equals("Docker", StringComparison.OrdinalIgnoreCase) => false,
        var v => throw new DiagnosticException("ImageFormatNotSupported", v),
    };
}
