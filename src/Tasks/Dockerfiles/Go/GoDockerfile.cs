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

    /// <summary>Standard-library and module packages the build imports: compiled per target before the sources are copied.</summary>
    public IReadOnlyList<string> DependencyPackages { get; init; } = [];

    public string? Syntax { get; init; }

    /// <summary>ContainerRunTests: `go test` of the main module's packages in a test stage before the image.</summary>
    public bool RunTests { get; init; }

    /// <summary>ContainerEject: no core-slot wait, nothing of Stevedore in the file.</summary>
    public bool Eject { get; init; }
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
        var build = ModuleStage(inputs, "build", inputs.CgoEnabled ? null : "$BUILDPLATFORM");
        var tags = Tags(inputs);
        var environment = $"CGO_ENABLED={(inputs.CgoEnabled ? 1 : 0)} GOOS=$TARGETOS GOARCH=$TARGETARCH";
        var precompiles = inputs.DependencyPackages.Count > 0 && !inputs.CgoEnabled;
        if (precompiles)
        {
            // go list -e names only the packages this platform can build (a windows-only import is left out); the
            // build cache is in the layer, not a cache mount, so a fresh builder gets it from the registry cache.
            var packages = string.Join(" ", inputs.DependencyPackages.Select(DockerfileWriter.ShellQuote));
            build.Add("ARG", "TARGETOS TARGETARCH", "The standard library and the modules the app imports, compiled for each target platform before the sources arrive: this layer changes only with go.mod or an import.")
                .Add("RUN", CoreSlots.Run("--network=none", $"export {environment} && go list -e{tags} -f '{{{{if not .Error}}}}{{{{.ImportPath}}}}{{{{end}}}}' {packages}"
                    + $" | xargs -r go build -trimpath{tags}", !inputs.Eject));
        }

        SourceCopy.AddTo(build, inputs.SourceFolders, "/src/");
        if (!precompiles)
        {
            build.Add("ARG", "TARGETOS TARGETARCH", inputs.CgoEnabled
                ? "cgo: this stage runs on each target platform (emulated where it is not the build machine's)."
                : "Declared only here, so the steps above are shared by every target platform; go build cross-compiles: no emulation.");
        }

        build.Add("RUN", CoreSlots.Run("--network=none" + (precompiles ? string.Empty : " --mount=type=cache,target=/root/.cache/go-build"),
                $"{environment} go build -trimpath -ldflags {DockerfileWriter.ShellQuote(inputs.Ldflags)}{tags} -o {BuildOutput} {DockerfileWriter.ShellQuote(inputs.MainPackage)}", !inputs.Eject));

        var final = inputs.Image.Stage(stage => stage.Add("COPY", $"--from=build {BuildOutput} {AppPath}"), [AppPath]);

        var model = new DockerfileModel { Syntax = inputs.Syntax };
        model.Stages.Add(build);
        model.Stages.Add(final);
        if (inputs.RunTests)
        {
            // Always on the build platform: the tests run once, natively, whatever the targets (and cgo) are.
            var test = ModuleStage(inputs, TestStages.TestStage, "$BUILDPLATFORM");
            SourceCopy.AddTo(test, inputs.SourceFolders, "/src/");
            test.Add("RUN", TestStages.Run(
                    [$"CGO_ENABLED={(inputs.CgoEnabled ? 1 : 0)} go test -json{tags} ./... >{TestStages.ResultsFolder}/go-test.json"], "--mount=type=cache,target=/root/.cache/go-build"),
                "ContainerRunTests: the main module's packages; go test's JSON and the exit code are kept even when a test fails, and the host reads them.");
            TestStages.AddTo(model, test, build);
        }

        return model;
    }

    private static string Tags(GoDockerfileInputs inputs) =>
        inputs.BuildTags.Count == 0 ? string.Empty : " -tags " + DockerfileWriter.ShellQuote(string.Join(",", inputs.BuildTags));

    // WORKDIR, the module files, then vendor/ or `go mod download`: the build stage's start and the test stage's (the same
    // lines, so BuildKit runs them once for both when the build runs on the build platform).
    private static DockerfileStage ModuleStage(GoDockerfileInputs inputs, string name, string? platform)
    {
        var stage = new DockerfileStage(inputs.BuildImage, name, platform)
            .Add("WORKDIR", "/src" + (inputs.ModuleFolder.Length == 0 ? string.Empty : "/" + inputs.ModuleFolder));
        if (!inputs.Eject)
        {
            CoreSlots.AddScript(stage);
        }

        var first = true;
        foreach (var file in inputs.ModuleFiles)
        {
            stage.Add("COPY", DockerfileWriter.JsonArray(file, "/src/" + Folder(file)),
                !first ? null : inputs.UsesVendor
                    ? "Only the module files and vendor/, so these layers stay cached until a module changes."
                    : "Only what `go mod download` reads, so its layer stays cached until a go.mod, go.sum or go.work changes.");
            first = false;
        }

        if (inputs.UsesVendor)
        {
            var vendor = (inputs.ModuleFolder.Length == 0 ? string.Empty : inputs.ModuleFolder + "/") + "vendor/";
            stage.Add("COPY", DockerfileWriter.JsonArray(vendor, "/src/" + vendor), "Vendored modules: nothing to download.");
        }
        else
        {
            // A /go/pkg/mod cache mount alone would not do: --cache-to exports layers, not cache mounts, so a fresh CI
            // builder would hit this cached step with an empty mount and the offline go build below would fail.
            stage.Add("RUN", "go mod download", "Modules land in this layer (not only a cache mount), so --cache-to exports them and the offline build finds them.");
        }

        return stage;
    }

    // The destination folder of a context-relative file, absolute so it does not depend on WORKDIR.
    private static string Folder(string relativeFile)
    {
        var slash = relativeFile.LastIndexOf('/');
        return slash < 0 ? string.Empty : relativeFile[..(slash + 1)];
    }
}
