using System.Globalization;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Projects;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>A port the image exposes (ContainerPort item).</summary>
public sealed record ContainerPort(int Number, string Type = "tcp");

/// <summary>Everything the .NET Dockerfile is made from; the task fills it from MSBuild properties and items.</summary>
public sealed record DotnetDockerfileInputs
{
    public required string BuildImage { get; init; }

    public required string BaseImage { get; init; }

    /// <summary>The published project, relative to the build context root.</summary>
    public required string ProjectPath { get; init; }

    /// <summary>Restore inputs in COPY order (paths relative to the context root).</summary>
    public required IReadOnlyList<RestoreInput> RestoreInputs { get; init; }

    /// <summary>The closure's project folders and the files it reads from outside them (relative, folders end in '/'), in COPY order.</summary>
    public IReadOnlyList<string> SourceInputs { get; init; } = [];

    /// <summary>The apphost name the entrypoint starts.</summary>
    public required string AssemblyName { get; init; }

    public string Configuration { get; init; } = "Release";

    public bool SelfContained { get; init; }

    public string WorkingDirectory { get; init; } = "/app";

    /// <summary>The SDK images' non-root app user (APP_UID); never root by default.</summary>
    public string User { get; init; } = "1654";

    public string? Syntax { get; init; }

    public IReadOnlyList<ContainerPort> Ports { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables { get; init; } = [];

    /// <summary>Labels in the order given; OCI labels first.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    /// <summary>nuget.configs with credentials: mounted as BuildKit secrets for restore, never copied.</summary>
    public IReadOnlyList<Security.NuGetConfigSecret> Secrets { get; init; } = [];
}

/// <summary>Builds the multi-stage .NET Dockerfile: restore inputs, restore, sources, publish, then a small runtime stage.</summary>
public static class DotnetDockerfile
{
    /// <summary>Passed to every dotnet command in the container: the project imports Stevedore too, and must not build an image there.</summary>
    public const string DisableInContainer = "-p:EnableStevedore=false";

    public static DockerfileModel Create(DotnetDockerfileInputs inputs)
    {
        var project = DockerfileWriter.Json(inputs.ProjectPath);
        var build = new DockerfileStage(inputs.BuildImage, "build", "$BUILDPLATFORM")
            .Add("ARG", "TARGETARCH", "Runs on the build machine's platform and cross-publishes for each target: no emulation.")
            .Add("ENV", "DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1")
            .Add("WORKDIR", "/src");

        var first = true;
        foreach (var input in inputs.RestoreInputs.Where(i => !inputs.Secrets.Any(s => s.RelativePath == i.RelativePath)))
        {
            build.Add("COPY", DockerfileWriter.JsonArray(input.RelativePath, Destination(input.RelativePath)),
                first ? "Only what restore reads, so the restore layer stays cached until a project or package changes." : null);
            first = false;
        }

        var selfContained = inputs.SelfContained ? " -p:SelfContained=true" : string.Empty;
        // Credentials reach restore only as secret mounts: present during this step, in no layer, cache or history.
        var mounts = string.Concat(inputs.Secrets.Select(s => s.Mount("/src") + " "));
        build.Add("RUN", $"{mounts}dotnet restore {project} -a $TARGETARCH{selfContained} {DisableInContainer}",
            "Packages land in this layer (not only a cache mount), so --cache-to exports them with it.");
        SourceCopy.AddTo(build, inputs.SourceInputs, string.Empty);
        build.Add("RUN", $"--network=none dotnet publish {project} --no-restore -c {inputs.Configuration} -a $TARGETARCH"
            + (inputs.SelfContained ? " --self-contained true" : string.Empty)
            + $" -o /app -p:UseAppHost=true {DisableInContainer}");

        var final = new DockerfileStage(inputs.BaseImage, "final")
            .Add("WORKDIR", inputs.WorkingDirectory)
            .Add("COPY", "--from=build /app .")
            .Add("USER", inputs.User);
        ContainerMetadata.AddTo(final, inputs.Ports, inputs.EnvironmentVariables, inputs.Labels);

        // The apphost, not `dotnet app.dll`: the arm64 runtime images may have no dotnet muxer.
        final.Add("ENTRYPOINT", DockerfileWriter.JsonArray("./" + inputs.AssemblyName));

        var model = new DockerfileModel { Syntax = inputs.Syntax };
        model.Stages.Add(build);
        model.Stages.Add(final);
        return model;
    }

    /// <summary>Checks a ContainerPort item (STV1009).</summary>
    public static ContainerPort ParsePort(string number, string? type)
    {
        var t = string.IsNullOrWhiteSpace(type) ? "tcp" : type.Trim().ToLowerInvariant();
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 65535 || t is not ("tcp" or "udp"))
        {
            throw new DiagnosticException("InvalidPort", string.IsNullOrWhiteSpace(type) ? number : number + "/" + type);
        }

        return new ContainerPort(n, t);
    }

    /// <summary>Checks a ContainerEnvironmentVariable name (STV1010).</summary>
    public static string ValidateEnvironmentVariableName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.')
            ? name
            : throw new DiagnosticException("InvalidEnvironmentVariable", name);

    // A file goes into its folder (dest ending in '/'); a feed folder copies onto the same folder.
    private static string Destination(string relativePath)
    {
        if (relativePath.EndsWith('/'))
        {
            return relativePath;
        }

        var slash = relativePath.LastIndexOf('/');
        return slash < 0 ? "./" : relativePath[..(slash + 1)];
    }
}
