namespace Stevedore.Tasks.Dockerfiles.Go;

/// <summary>Everything the Go Dockerfile is made from; the task fills it from MSBuild properties and items.</summary>
internal sealed record GoDockerfileInputs
{
    public required string BuildImage { get; init; }

    /// <summary>The final stage: base image, user, ports, environment, labels, command.</summary>
    public required FinalImage Image { get; init; }

    /// <summary>The module folder relative to the build context root, forward-slashed; empty for the root itself.</summary>
    public string ModuleFolder { get; init; } = string.Empty;

    /// <summary>go.mod, go.sum, go.work(.sum) files relative to the context root, in COPY order.</summary>
    public required IReadOnlyList<string> ModuleFiles { get; init; }

    /// <summary>The module folders the build reads, relative to the context root, each ending in '/' ("./" for the root).</summary>
    public IReadOnlyList<string> SourceFolders { get; init; } = [];

    /// <summary>The package `go build` compiles, relative to the module (`.`, `./cmd/api`).</summary>
    public required string MainPackage { get; init; }

    public IReadOnlyList<string> BuildTags { get; init; } = [];

    /// <summary>The whole -ldflags value (GoLdflags), including -X main.version=….</summary>
    public string Ldflags { get; init; } = "-s -w";

    /// <summary>cgo needs the target's C toolchain, so the build stage then runs on each target platform (emulated).</summary>
    public bool CgoEnabled { get; init; }

    /// <summary>vendor/modules.txt exists: go build reads vendor/, there is nothing to download.</summary>
    public bool UsesVendor { get; init; }

    public string? Syntax { get; init; }
}

/// <summary>
/// Builds the multi-stage Go Dockerfile: module files, `go mod download`, sources, a cross-compiling
/// `go build` on the build platform, then a static non-root image holding only the binary.
/// </summary>
internal static class GoDockerfile
{
    /// <summary>Where the binary lands in the build stage and in the image.</summary>
    public const string BuildOutput = "/out/app";

    public const string AppPath = "/app";

    public static DockerfileModel Create(GoDockerfileInputs inputs)
    {
        var build = new DockerfileStage(inputs.BuildImage, "build", inputs.CgoEnabled ? null : "$BUILDPLATFORM")
            .Add("WORKDIR", "/src" + (inputs.ModuleFolder.Length == 0 ? string.Empty : "/" + inputs.ModuleFolder));

        // Vendored modules need no download: go.mod and vendor/ arrive with the sources.
        if (!inputs.UsesVendor)
        {
            var first = true;
            foreach (var file in inputs.ModuleFiles)
            {
                build.Add("COPY", DockerfileWriter.JsonArray(file, "/src/" + Folder(file)),
                    first ? "Only what `go mod download` reads, so its layer stays cached until a go.mod, go.sum or go.work changes." : null);
                first = false;
            }

            // A /go/pkg/mod cache mount alone would not do: --cache-to exports layers, not cache mounts, so a fresh CI
            // builder would hit this cached step with an empty mount and the offline go build below would fail.
            build.Add("RUN", "go mod download", "Modules land in this layer (not only a cache mount), so --cache-to exports them and the offline build finds them.");
        }

        SourceCopy.AddTo(build, inputs.SourceFolders, "/src/");
        build.Add("ARG", "TARGETOS TARGETARCH", inputs.CgoEnabled
            ? "cgo: this stage runs on each target platform (emulated where it is not the build machine's)."
            : "Declared only here, so the steps above are shared by every target platform; go build cross-compiles: no emulation.");
        var tags = inputs.BuildTags.Count == 0 ? string.Empty : " -tags " + DockerfileWriter.ShellQuote(string.Join(",", inputs.BuildTags));
        build.Add("RUN", "--network=none --mount=type=cache,target=/root/.cache/go-build"
            + $" CGO_ENABLED={(inputs.CgoEnabled ? 1 : 0)} GOOS=$TARGETOS GOARCH=$TARGETARCH"
            + $" go build -trimpath -ldflags {DockerfileWriter.ShellQuote(inputs.Ldflags)}{tags} -o {BuildOutput} {DockerfileWriter.ShellQuote(inputs.MainPackage)}");

        var final = inputs.Image.Stage(stage => stage.Add("COPY", $"--from=build {BuildOutput} {AppPath}"), [AppPath]);

        var model = new DockerfileModel { Syntax = inputs.Syntax };
        model.Stages.Add(build);
        model.Stages.Add(final);
        return model;
    }

    // The destination folder of a context-relative file, absolute so it does not depend on WORKDIR.
    private static string Folder(string relativeFile)
    {
        var slash = relativeFile.LastIndexOf('/');
        return slash < 0 ? string.Empty : relativeFile[..(slash + 1)];
    }
}
