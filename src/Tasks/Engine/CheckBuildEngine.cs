using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Engine;

/// <summary>
/// Preflight before `docker buildx build`: the engine answers, buildx is installed, the builder exists and can
/// build every requested platform and export the requested caches. Each failure is one STV21xx error naming the fix.
/// </summary>
public sealed class CheckBuildEngine : StevedoreTask
{
    /// <summary>Normalised platforms, comma-separated (ResolveContainerImages' output).</summary>
    [Required]
    public string Platforms { get; set; } = string.Empty;

    /// <summary>The Dockerfile the build uses (generated or the user's): emulation is needed only for platforms it runs steps on.</summary>
    public string? Dockerfile { get; set; }

    /// <summary>ContainerBuilder; empty means the current builder.</summary>
    public string? Builder { get; set; }

    /// <summary>--cache-to specs (items or ';' lists).</summary>
    public string[] CacheTo { get; set; } = [];

    /// <summary>ContainerRegistry: set means the image is pushed there.</summary>
    public string? Registry { get; set; }

    /// <summary>ContainerArchiveOutputPath; set means neither push nor load.</summary>
    public string? ArchiveOutputPath { get; set; }

    /// <summary>The docker CLI runner; tests replace it.</summary>
    internal DockerCli Cli { get; set; } = new();

    /// <summary>Asks the engine over its API; tests replace it.</summary>
    internal Func<string, EngineAnswer> AskEngine { get; set; } = EngineApi.Ask;

    /// <summary>The builder's driver (docker, docker-container, remote, kubernetes): what its exporters can do.</summary>
    [Output]
    public string BuilderDriver { get; private set; } = string.Empty;

    /// <summary>Probes the push registry; tests replace it. Returns null when it answers, else why not.</summary>
    internal Func<string, string?> ProbeRegistry { get; set; } = registry => RegistryProbe.Connect(registry, TimeSpan.FromSeconds(10));

    protected override void Run()
    {
        var docker = Cli.Find() ?? throw new DiagnosticException("DockerNotFound", "docker");
        var endpoint = EngineQuery.Endpoint();
        var engine = EngineQuery.Start(BuildEngine, docker, endpoint, Builder, Cli, AskEngine).GetAwaiter().GetResult();
        var builder = engine.Builder;
        if (engine.Bootstrapped)
        {
            Log.LogMessage(MessageImportance.Normal, "Stevedore preflight: builder {0} was not running; started it (docker buildx inspect --bootstrap).", builder.Name);
        }

        BuilderDriver = builder.Driver;
        var platforms = Platforms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = new BuildRequest
        {
            Platforms = platforms,
            StepPlatforms = ReadDockerfile() is { } text ? StepPlatforms.Find(text, platforms) : null,
            CacheTo = [.. Msbuild.PropertyList.Split(CacheTo)],
            Load = string.IsNullOrWhiteSpace(Registry) && string.IsNullOrWhiteSpace(ArchiveOutputPath),
        };
        foreach (var problem in PreflightCheck.Run(builder, engine.ImageStore, request))
        {
            Log.LogErrorWithCodeFromResources(problem.ResourceName, problem.Arguments);
        }

        // Only the host[:port] part answers; a path (ghcr.io/my-org) is where the repository goes.
        if (!string.IsNullOrWhiteSpace(Registry) && ProbeRegistry(Images.RegistryPrefix.Parse(Registry).Host) is { } refused)
        {
            Log.LogErrorWithCodeFromResources("RegistryUnreachable", Registry.Trim(), refused);
        }

        if (!Log.HasLoggedErrors)
        {
            Log.LogMessage(MessageImportance.Normal, "Stevedore preflight: engine {0}, builder {1} ({2}) builds {3}.", endpoint, builder.Name, builder.Driver, Platforms);
        }
    }

    // Unreadable or absent (the build reports that itself): assume every platform runs steps.
    private string? ReadDockerfile()
    {
        try
        {
            return string.IsNullOrWhiteSpace(Dockerfile) || !File.Exists(Dockerfile) ? null : File.ReadAllText(Dockerfile);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when the engine is reached over TLS (DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, as the GitLab dind recipe sets
    /// them, or an https:// endpoint): the docker CLI holds the client certificates, so its `buildx inspect` is the
    /// check, not a plain ping that a TLS port would refuse.
    /// </summary>
    internal static bool UsesTls(Uri endpoint, Func<string, string?> environment) =>
        endpoint.Scheme == "https"
        || (endpoint.Scheme == "tcp" && (!string.IsNullOrEmpty(environment("DOCKER_TLS_VERIFY")) || !string.IsNullOrEmpty(environment("DOCKER_CERT_PATH"))));
}
