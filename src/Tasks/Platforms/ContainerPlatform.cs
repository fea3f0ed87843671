using System.Runtime.InteropServices;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Platforms;

/// <summary>One target platform of the image, as buildx names it: os/arch[/variant].</summary>
internal sealed record ContainerPlatform(string Os, string Architecture, string? Variant = null)
{
    private static readonly HashSet<string> KnownArchitectures = new(StringComparer.Ordinal)
    {
        "amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64",
    };

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    /// <summary>The .NET runtime identifier of this platform (linux/amd64 → linux-x64), as `dotnet publish -r` takes it.</summary>
    public string DotNetRuntimeIdentifier => Os + "-" + Architecture switch
    {
        "amd64" => "x64",
        "386" => "x86",
        var other => other,
    };

    /// <summary>The linux platform of the machine running the build; buildx builds it without emulation.</summary>
    public static ContainerPlatform Host() => new("linux", RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        _ => "amd64",
    });

    /// <summary>
    /// Parses a list separated by ';' or ',' (also MSBuild-escaped %3B and %2C); an empty list means the host platform.
    /// Duplicates are dropped and the order kept, so the buildx argument is stable.
    /// </summary>
    public static IReadOnlyList<ContainerPlatform> ParseList(string? value)
    {
        var text = (value ?? string.Empty)
            .Replace("%3B", ";", StringComparison.OrdinalIgnoreCase)
            .Replace("%2C", ",", StringComparison.OrdinalIgnoreCase);
        var result = new List<ContainerPlatform>();
        foreach (var part in text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var platform = Parse(part);
            if (!result.Contains(platform))
            {
                result.Add(platform);
            }
        }

        return result.Count == 0 ? [Host()] : result;
    }

    /// <summary>
    /// The platform of a .NET runtime identifier (the SDK's ContainerRuntimeIdentifier(s)): linux-x64 → linux/amd64,
    /// linux-arm64 → linux/arm64, linux-arm → linux/arm/v7, linux-x86 → linux/386, linux-musl-* alike (the libc is the
    /// base image's). Anything else is STV1034.
    /// </summary>
    public static ContainerPlatform FromRuntimeIdentifier(string rid)
    {
        var parts = rid.Trim().ToLowerInvariant().Split('-');
        var architecture = parts switch
        {
            ["linux", var a] => a,
            ["linux", "musl" or "bionic", var a] => a,
            _ => null,
        };
        return architecture switch
        {
            "x64" => new ContainerPlatform("linux", "amd64"),
            "arm64" => new ContainerPlatform("linux", "arm64"),
            "arm" => new ContainerPlatform("linux", "arm", "v7"),
            "x86" => new ContainerPlatform("linux", "386"),
            "s390x" or "ppc64le" or "riscv64" => new ContainerPlatform("linux", architecture),
            _ => throw new DiagnosticException("UnsupportedRuntimeIdentifier", rid),
        };
    }

    /// <summary>Parses one os/arch[/variant]; anything buildx would reject for a Linux image is STV1001.</summary>
    public static ContainerPlatform Parse(string value)
    {
        var parts = value.Trim().Split('/');
        if (parts.Length is < 2 or > 3
            || parts[0] != "linux"
            || !KnownArchitectures.Contains(parts[1])
            || (parts.Length == 3 && !IsVariant(parts[2])))
        {
            throw new DiagnosticException("InvalidPlatform", value);
        }

        return new ContainerPlatform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    private static bool IsVariant(string v) => v.Length > 0 && v.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
}
