using System.Globalization;
using System.Text.RegularExpressions;
using NuGet.Versioning;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Inputs.Go;

/// <summary>A Go language or toolchain version (1.24, 1.24.4, 1.21rc2), ordered with NuGet.Versioning.</summary>
internal sealed partial record GoVersion(int Major, int Minor, int Patch, string? Prerelease) : IComparable<GoVersion>
{
    /// <summary>The golang image tag for this version: major.minor, whose newest patch the image carries.</summary>
    public string ImageTag => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}") + (Patch > 0 ? "." + Patch.ToString(CultureInfo.InvariantCulture) : string.Empty) + Prerelease;

    public int CompareTo(GoVersion? other) =>
        other is null ? 1 : AsNuGet().CompareTo(other.AsNuGet());

    /// <summary>Parses a `go` directive value; anything else is STV1015 naming the file and the directive.</summary>
    public static GoVersion Parse(string value, string directive, string file) =>
        TryParse(value) ?? throw new DiagnosticException("InvalidGoVersion", directive + " " + value, file);

    /// <summary>Parses a `toolchain` value such as go1.24.4 (a suffix like +auto or -custom is allowed); "default" is null.</summary>
    public static GoVersion? ParseToolchain(string value, string file)
    {
        if (value == "default")
        {
            return null;
        }

        var name = value.StartsWith("go", StringComparison.Ordinal) ? value[2..] : string.Empty;
        var end = name.IndexOfAny(['+', '-']);
        return TryParse(end < 0 ? name : name[..end]) ?? throw new DiagnosticException("InvalidGoVersion", "toolchain " + value, file);
    }

    private static GoVersion? TryParse(string value)
    {
        var match = Pattern().Match(value);
        return match.Success
            ? new GoVersion(
                int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["minor"].Value, CultureInfo.InvariantCulture),
                match.Groups["patch"].Success ? int.Parse(match.Groups["patch"].Value, CultureInfo.InvariantCulture) : 0,
                match.Groups["pre"].Success ? match.Groups["pre"].Value : null)
            : null;
    }

    public static GoVersion Max(IEnumerable<GoVersion> versions) => versions.Aggregate((a, b) => a.CompareTo(b) >= 0 ? a : b);

    // Go writes rc1/beta2 right after the number; NuGet orders them as prereleases of that release.
    private NuGetVersion AsNuGet() => new(Major, Minor, Patch, Prerelease ?? string.Empty);

    [GeneratedRegex(@"^(?<major>1)\.(?<minor>0|[1-9][0-9]{0,3})(\.(?<patch>0|[1-9][0-9]{0,3}))?(?<pre>(rc|beta)[1-9][0-9]?)?$")]
    private static partial Regex Pattern();
}
