using System.Text.RegularExpressions;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>The package manager of a final base image, which decides how ContainerOsPackage items are installed.</summary>
internal enum OsPackageManager
{
    /// <summary>Debian and Ubuntu (the default .NET images): apt and dpkg.</summary>
    Apt,

    /// <summary>Alpine: apk.</summary>
    Apk,

    /// <summary>Azure Linux (and CBL-Mariner): tdnf.</summary>
    Tdnf,
}

/// <summary>How the packages reach the final image.</summary>
internal enum OsPackageInstallMode
{
    /// <summary>Resolved for the target architecture and unpacked on the build platform, then copied in: no emulation.</summary>
    Unpack,

    /// <summary>The package manager runs in the final stage: emulated for a foreign target platform.</summary>
    Run,
}

/// <summary>Reads the package manager from the base image's name, or from ContainerOsPackageManager for a custom base.</summary>
internal static partial class OsPackageManagers
{
    /// <summary>The package manager of <paramref name="baseImage"/> (STV1201 for chiseled/distroless bases, STV1202 for an unknown override).</summary>
    public static OsPackageManager For(string baseImage, string? manager)
    {
        if (Override(manager) is { } chosen)
        {
            return chosen;
        }

        // The repository and tag only: a registry host or a digest says nothing about the distribution.
        var name = baseImage.Split('@')[0];
        name = name[(name.LastIndexOf('/') + 1)..].ToLowerInvariant();
        if (NoPackageManager().IsMatch(name) || baseImage.Contains("/distroless/", StringComparison.OrdinalIgnoreCase))
        {
            throw new DiagnosticException("NoOsPackageManager", baseImage);
        }

        return name.Contains("alpine", StringComparison.Ordinal) ? OsPackageManager.Apk
            : name.Contains("azurelinux", StringComparison.Ordinal) || name.Contains("cbl-mariner", StringComparison.Ordinal) ? OsPackageManager.Tdnf
            : OsPackageManager.Apt;
    }

    /// <summary>
    /// ContainerOsPackageInstall, or the default: unpack with apt (dpkg's database is a text file Stevedore can write for
    /// the target), run for apk and tdnf, and run for packages whose maintainer scripts do work the image needs.
    /// </summary>
    public static (OsPackageInstallMode Mode, string Reason) Mode(OsPackageManager manager, string? install, IReadOnlyList<string> packages)
    {
        if (!string.IsNullOrWhiteSpace(install))
        {
            var mode = Install(install);
            if (mode == OsPackageInstallMode.Unpack && manager != OsPackageManager.Apt)
            {
                throw new DiagnosticException("InvalidOsPackageInstall", install.Trim() + " with " + manager.ToString().ToLowerInvariant());
            }

            return (mode, "ContainerOsPackageInstall=" + mode.ToString().ToLowerInvariant());
        }

        if (manager != OsPackageManager.Apt)
        {
            return (OsPackageInstallMode.Run, manager.ToString().ToLowerInvariant() + " installs in the final stage");
        }

        var scripted = packages.Where(p => NeedsMaintainerScripts.Contains(p)).ToList();
        return scripted.Count > 0
            ? (OsPackageInstallMode.Run, "maintainer scripts matter for " + string.Join(", ", scripted))
            : (OsPackageInstallMode.Unpack, "unpacked for each target architecture on the build platform");
    }

    /// <summary>ContainerOsPackage items: trimmed, distinct, each a package name (STV1204).</summary>
    public static IReadOnlyList<string> Packages(IEnumerable<Microsoft.Build.Framework.ITaskItem> items) =>
        items.Select(p => p.ItemSpec.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Select(ValidateName).ToList();

    /// <summary>
    /// What the OS package options say before the base image is known (STV1202–STV1204); the base image's own manager
    /// (STV1201, unpack with apk or tdnf) is checked once the image is resolved.
    /// </summary>
    public static void Check(IEnumerable<Microsoft.Build.Framework.ITaskItem> items, string? manager, string? install)
    {
        var packages = Packages(items);
        if (packages.Count == 0)
        {
            return;
        }

        if (Override(manager) is { } chosen)
        {
            Mode(chosen, install, packages);
        }
        else if (!string.IsNullOrWhiteSpace(install))
        {
            Install(install);
        }
    }

    // ContainerOsPackageManager, or null to read it from the base image's name (STV1202).
    private static OsPackageManager? Override(string? manager) =>
        string.IsNullOrWhiteSpace(manager) ? null : manager.Trim().ToLowerInvariant() switch
        {
            "apt" => OsPackageManager.Apt,
            "apk" => OsPackageManager.Apk,
            "tdnf" => OsPackageManager.Tdnf,
            _ => throw new DiagnosticException("InvalidOsPackageManager", manager.Trim()),
        };

    // ContainerOsPackageInstall (STV1203).
    private static OsPackageInstallMode Install(string install) => install.Trim().ToLowerInvariant() switch
    {
        "unpack" => OsPackageInstallMode.Unpack,
        "run" => OsPackageInstallMode.Run,
        _ => throw new DiagnosticException("InvalidOsPackageInstall", install.Trim()),
    };

    /// <summary>Checks a package name (STV1204): it lands in a shell command line.</summary>
    public static string ValidateName(string name) =>
        PackageName().IsMatch(name) ? name : throw new DiagnosticException("InvalidOsPackage", name);

    // Packages whose postinst does work the image relies on (certificate bundle, font cache, locales, Java's keystore):
    // unpacking without running it would give a quietly broken image, so these install with the package manager.
    private static readonly HashSet<string> NeedsMaintainerScripts = new(StringComparer.Ordinal)
    {
        "ca-certificates", "ca-certificates-java", "fontconfig", "fontconfig-config", "locales", "locales-all", "dbus",
        "openssh-server", "systemd", "sudo", "passwd", "adduser",
    };

    [GeneratedRegex(@"(chiseled|distroless)")]
    private static partial Regex NoPackageManager();

    // Debian, Alpine and RPM names, optionally with a version (apt: name=1.2, apk: name=1.2, tdnf: name-1.2).
    [GeneratedRegex(@"^[a-z0-9][a-z0-9+._-]*(=[A-Za-z0-9.+~:_-]+)?$")]
    private static partial Regex PackageName();
}
