using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Dockerfiles.DotNet;

/// <summary>
/// The Native AOT build stage's toolchain step: the -aot SDK image has clang, lld and zlib for its own architecture;
/// when the target's differs, this layer adds the target's cross linker, C runtime and zlib (Debian and Ubuntu:
/// gcc-&lt;triple&gt; and zlib1g-dev:&lt;arch&gt;). It comes before any project file, so it is cached per target
/// and shared by every app built on the same image. ILCompiler then passes clang --target=&lt;triple&gt; by itself.
/// </summary>
internal static class NativeToolchain
{
    /// <summary>The GNU triples of the architectures the toolchain step knows, by Docker architecture name.</summary>
    private static readonly IReadOnlyDictionary<string, string> Triples = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["amd64"] = "x86_64-linux-gnu",
        ["arm64"] = "aarch64-linux-gnu",
    };

    /// <summary>True when the build stage can cross-compile a native binary for <paramref name="platform"/>.</summary>
    public static bool Supports(ContainerPlatform platform) =>
        platform.Os == "linux" && platform.Variant is null && Triples.ContainsKey(platform.Architecture);

    /// <summary>A Native AOT publish cross-compiles only for the platforms the toolchain step knows (STV1114).</summary>
    public static void Check(bool nativeAot, IEnumerable<ContainerPlatform> platforms)
    {
        if (nativeAot && platforms.FirstOrDefault(p => !Supports(p)) is { } unsupported)
        {
            throw new Diagnostics.DiagnosticException("AotPlatformNotSupported", unsupported.ToString());
        }
    }

    /// <summary>Adds the toolchain step to the build stage (which declares TARGETARCH already).</summary>
    public static void AddTo(DockerfileStage build)
    {
        var cases = string.Join(" ", Triples.Select(t => $"{t.Key}) triple={t.Value} ;;"));
        build.Add("ARG", "BUILDARCH")
            .Add("RUN", string.Join(" \\\n ", [
                $"case \"$TARGETARCH\" in {cases} *) echo \"no native cross toolchain for $TARGETARCH\" >&2; exit 1 ;; esac;",
                "if [ \"$TARGETARCH\" != \"$BUILDARCH\" ] && ! command -v \"$triple-ld\" >/dev/null; then",
                "  . /etc/os-release && dpkg --add-architecture \"$TARGETARCH\"",
                // Ubuntu serves amd64 and arm64 from two mirrors: each source names its architecture.
                "  && if [ \"$ID\" = ubuntu ]; then",
                "    ports=http://ports.ubuntu.com/ubuntu-ports; archive=http://archive.ubuntu.com/ubuntu;",
                "    target=$ports; [ \"$TARGETARCH\" = amd64 ] && target=$archive;",
                "    sed -i \"/^Types:/a Architectures: $BUILDARCH\" /etc/apt/sources.list.d/ubuntu.sources;",
                "    printf 'Types: deb\\nURIs: %s\\nSuites: %s %s-updates\\nComponents: main universe\\nArchitectures: %s\\n' \"$target\" \"$VERSION_CODENAME\" \"$VERSION_CODENAME\" \"$TARGETARCH\" > /etc/apt/sources.list.d/target.sources;",
                "  fi",
                "  && apt-get -o Acquire::Languages=none update && apt-get install -y --no-install-recommends \"gcc-$(echo \"$triple\" | tr _ -)\" \"zlib1g-dev:$TARGETARCH\"",
                "  && rm -rf /var/lib/apt/lists/*;",
                "fi",
            ]),
                "The target's cross linker and libraries, when it is not the build machine's architecture (the image may have them"
                + " already): cached per target, before any project file.");
    }
}
