using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Dockerfiles.Go;

/// <summary>
/// Writes the Go Dockerfile and its &lt;Dockerfile&gt;.dockerignore (see <see cref="GoDockerfile"/>), generated or
/// ejected exactly like the .NET ones.
/// </summary>
public sealed class GenerateGoDockerfile : DockerfileTask
{
    /// <summary>From ResolveGoInputs: the module (and project file) folder relative to the context root.</summary>
    public string? ModuleFolder { get; set; }

    /// <summary>From ResolveGoInputs: metadata RelativePath, in COPY order.</summary>
    public ITaskItem[] ModuleFiles { get; set; } = [];

    /// <summary>From ResolveGoInputs: the module folders the build reads; metadata RelativePath, in COPY order.</summary>
    public ITaskItem[] SourceFolders { get; set; } = [];

    /// <summary>The package to build (resolved GoMainPackage).</summary>
    [Required]
    public string MainPackage { get; set; } = string.Empty;

    /// <summary>GoBuildTags: ';' or ',' separated.</summary>
    public string? BuildTags { get; set; }

    /// <summary>GoLdflags: the whole -ldflags value.</summary>
    public string? Ldflags { get; set; }

    /// <summary>GoCgoEnabled.</summary>
    public bool CgoEnabled { get; set; }

    /// <summary>From ResolveGoInputs: vendor/modules.txt exists.</summary>
    public bool UsesVendor { get; set; }

    /// <summary>From ResolveGoInputs: the standard-library and module packages to compile before the sources arrive.</summary>
    public string[] DependencyPackages { get; set; } = [];

    /// <summary>GoExcludeTestData: leave testdata/ folders out of the context (kept when the tests run, which read them).</summary>
    public bool ExcludeTestData { get; set; }

    /// <summary>ContainerRunTests: `go test ./...` of the main module in a test stage before the image.</summary>
    public bool RunTests { get; set; }

    protected override void Generate()
    {
        if (CgoEnabled)
        {
            Log.LogWarningWithCodeFromResources("GoCgoEmulated", string.Join(",", TargetPlatforms));
        }

        var images = FromImages();
        var model = GoDockerfile.Create(new GoDockerfileInputs
        {
            BuildImage = images.Build,
            Image = Image(images.Base),
            ModuleFolder = ModuleFolder ?? string.Empty,
            ModuleFiles = ModuleFiles.Select(f => f.GetMetadata("RelativePath")).ToList(),
            SourceFolders = SourceFolders.Select(f => f.GetMetadata("RelativePath")).ToList(),
            MainPackage = MainPackage,
            BuildTags = (BuildTags ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Ldflags = Ldflags?.Trim() ?? string.Empty,
            CgoEnabled = CgoEnabled,
            UsesVendor = UsesVendor,
            DependencyPackages = DependencyPackages,
            Syntax = SyntaxOrNull,
            RunTests = RunTests,
            Eject = Eject,
        });

        WriteFiles(model, header => DockerIgnoreWriter.WritePatterns(header, GoDockerIgnore.Patterns(ModuleFolder ?? string.Empty, UsesVendor, ExcludeTestData && !RunTests)));
    }
}
