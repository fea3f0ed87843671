using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Options;

/// <summary>
/// Refuses, before anything is generated, option combinations and project shapes that cannot make an image:
/// eject with an own Dockerfile (STV1101), several target frameworks and none chosen (STV1102), a project
/// without an entry point (STV1103), a build context that does not hold the project (STV1104), publish options that
/// exclude each other (STV1111 to STV1113), and option values the build alone would use: the attestations (STV1105,
/// STV1106), the image format (STV1035), a push by digest with nowhere to push (STV1408). Then every value read from the
/// project alone, by the code that later uses it: the images (CheckPublishOptions.Images.cs), the final image's settings
/// (CheckPublishOptions.FinalImage.cs) and the caches (CheckPublishOptions.Cache.cs).
/// </summary>
public sealed partial class CheckPublishOptions : StevedoreTask
{
    /// <summary>ContainerEject.</summary>
    public bool Eject { get; set; }

    /// <summary>ContainerDockerfile.</summary>
    public string? Dockerfile { get; set; }

    /// <summary>TargetFrameworks (the multi-targeting list).</summary>
    public string? TargetFrameworks { get; set; }

    /// <summary>TargetFramework (empty in a multi-targeting outer build).</summary>
    public string? TargetFramework { get; set; }

    /// <summary>OutputType; an image needs an executable.</summary>
    public string? OutputType { get; set; }

    /// <summary>ContainerBuildContext as the user set it (empty: computed).</summary>
    public string? BuildContext { get; set; }

    /// <summary>The project file, which the build context must contain.</summary>
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>PublishAot.</summary>
    public bool NativeAot { get; set; }

    /// <summary>PublishReadyToRun.</summary>
    public bool ReadyToRun { get; set; }

    /// <summary>PublishTrimmed.</summary>
    public bool Trimmed { get; set; }

    /// <summary>The project chose a framework-dependent publish itself (SelfContained=false or PublishSelfContained=false).</summary>
    public bool FrameworkDependent { get; set; }

    /// <summary>ContainerSourceDateEpoch: the image's creation time in Unix seconds (by default the last commit that touched the image's inputs).</summary>
    public string? SourceDateEpoch { get; set; }

    /// <summary>ContainerProvenance.</summary>
    public string? Provenance { get; set; }

    /// <summary>ContainerSbom.</summary>
    public string? Sbom { get; set; }

    /// <summary>ContainerImageFormat.</summary>
    public string? ImageFormat { get; set; }

    /// <summary>ContainerPushByDigest.</summary>
    public bool PushByDigest { get; set; }

    /// <summary>The registry the image is pushed to (ContainerRegistry, or Visual Studio's RegistryUrl); empty loads it.</summary>
    public string? Registry { get; set; }

    /// <summary>ContainerArchiveOutputPath: the image goes into a tarball instead.</summary>
    public string? ArchiveOutputPath { get; set; }

    protected override void Run()
    {
        // The same checks the build makes when it uses the values (one piece of code each), made before anything runs.
        Buildx.Attestations.Provenance(Provenance);
        Buildx.Attestations.Sbom(Sbom);
        Buildx.ImageFormat.OciMediaTypes(ImageFormat);
        if (PushByDigest && (string.IsNullOrWhiteSpace(Registry) || !string.IsNullOrWhiteSpace(ArchiveOutputPath)))
        {
            throw new DiagnosticException("PushByDigestNeedsRegistry");
        }

        if (!string.IsNullOrWhiteSpace(SourceDateEpoch) && !long.TryParse(SourceDateEpoch.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw new DiagnosticException("InvalidSourceDateEpoch", SourceDateEpoch.Trim());
        }

        // What the image's build stage would stop on after the restore, or silently ignore: refused before anything runs.
        if (NativeAot && FrameworkDependent)
        {
            throw new DiagnosticException("AotFrameworkDependent");
        }

        if (NativeAot && ReadyToRun)
        {
            throw new DiagnosticException("AotWithReadyToRun");
        }

        if (Trimmed && !NativeAot && FrameworkDependent)
        {
            throw new DiagnosticException("TrimmedFrameworkDependent");
        }

        if (Eject && !string.IsNullOrWhiteSpace(Dockerfile))
        {
            throw new DiagnosticException("EjectWithOwnDockerfile", Dockerfile.Trim());
        }

        if (string.IsNullOrWhiteSpace(TargetFramework) && (TargetFrameworks ?? string.Empty).Contains(';', StringComparison.Ordinal))
        {
            throw new DiagnosticException("SeveralTargetFrameworks", TargetFrameworks!.Trim().Trim(';'));
        }

        if (!string.IsNullOrWhiteSpace(OutputType) && !OutputType.Trim().EndsWith("Exe", StringComparison.OrdinalIgnoreCase))
        {
            throw new DiagnosticException("NotAnExecutable", OutputType.Trim());
        }

        if (!string.IsNullOrWhiteSpace(BuildContext) && !string.IsNullOrEmpty(ProjectFile))
        {
            var context = Path.TrimEndingDirectorySeparator(Path.GetFullPath(BuildContext.Trim(), Path.GetDirectoryName(ProjectFile)!));
            var inside = Path.GetFullPath(ProjectFile).StartsWith(context + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            if (!Directory.Exists(context) || !inside)
            {
                throw new DiagnosticException("ProjectOutsideContext", context, ProjectFile);
            }
        }

        CheckImages();
        CheckFinalImage();
        CheckCache();
        CheckReuse();
    }
}
