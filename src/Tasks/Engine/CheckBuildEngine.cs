using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Plan;

namespace Stevedore.Tasks.Engine;

/// <summary>
/// Preflight before `docker buildx build`: the engine answers, buildx is installed, the builder exists and can
/// build every requested platform and export the requested caches. Each failure is one STV21xx error naming the fix.
/// </summary>
public sealed class CheckBuildEngine : PlanTask
{
    /// <summary>The docker CLI runner; tests replace it.</summary>
    internal DockerCli Cli { get; set; } = new();

    /// <summary>Asks the engine over its API; tests replace it.</summary>
    internal Func<string, EngineAnswer> AskEngine { get; set; } = EngineApi.Ask;

    /// <summary>Where the builder's answer is kept for the next publish (obj/…/stevedore/builder.json, see <see cref="BuilderCache"/>); empty asks buildx every time.</summary>
    public string? CacheFile { get; set; }

    /// <summary>The builder's driver (docker, docker-container, remote, kubernetes): what its exporters can do.</summary>
    [Output]
    public string BuilderDriver { get; private set; } = string.Empty;

    /// <summary>Probes the push registry; tests replace it. Returns null when it answers, else why not.</summary>
    internal Func<string, string?> ProbeRegistry { get; set; } = registry => RegistryProbe.Connect(registry, TimeSpan.FromSeconds(10));

    protected override void Run()
    {
        var docker = Cli.Find() ?? throw new DiagnosticException("DockerNotFound", "docker");
        var endpoint = EngineQuery.Endpoint();
        var plan = Current;
        var engine = EngineQuery.Start(BuildEngine, docker, endpoint, plan.Builder, Cli, AskEngine, CacheFile).GetAwaiter().GetResult();
        var builder = engine.Builder;
        if (engine.Bootstrapped)
        {
            Log.LogMessage(MessageImportance.Normal, "Stevedore preflight: builder {0} was not running; started it (docker buildx inspect --bootstrap).", builder.Name);
        }

        BuilderDriver = builder.Driver;
        var platforms = plan.Platforms.Select(p => p.ToString()).ToList();
        var request = new BuildRequest
        {
            Platforms = platforms,
            StepPlatforms = plan.StepPlatforms,
            CacheTo = plan.CacheTo,
            Load = !plan.Push && plan.ArchivePath is null,
        };
        foreach (var problem in PreflightCheck.Run(builder, engine.ImageStore, request))
        {
            Log.LogErrorWithCodeFromResources(problem.ResourceName, problem.Arguments);
        }

        // Only the host[:port] part answers; a path (ghcr.io/my-org) is where the repository goes.
        if (plan.Registry is { } registry && ProbeRegistry(Images.RegistryPrefix.Parse(registry).Host) is { } refused)
        {
            Log.LogErrorWithCodeFromResources("RegistryUnreachable", registry, refused);
        }

        if (!Log.HasLoggedErrors)
        {
            Log.LogMessage(MessageImportance.Normal, "Stevedore preflight: engine {0}, builder {1} ({2}) builds {3}.", endpoint, builder.Name, builder.Driver, string.Join(",", platforms));
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
