using System.Net.Sockets;
using Docker.DotNet;
using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Engine;

/// <summary>
/// Preflight before `docker buildx build`: the engine answers, buildx is installed, the builder exists and can
/// build every requested platform and export the requested caches. Each failure is one STV21xx error naming the fix.
/// </summary>
public sealed class CheckBuildEngine : StevedoreTask
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(20);

    // Starting a docker-container builder pulls its BuildKit image and starts buildkitd.
    private static readonly TimeSpan BootstrapTimeout = TimeSpan.FromMinutes(5);

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

    /// <summary>Pings the engine; tests replace it. Returns null when it answers, else why not.</summary>
    internal Func<string, string?> Ping { get; set; } = PingEngine;

    /// <summary>The builder's driver (docker, docker-container, remote, kubernetes): what its exporters can do.</summary>
    [Output]
    public string BuilderDriver { get; private set; } = string.Empty;

    /// <summary>Probes the push registry; tests replace it. Returns null when it answers, else why not.</summary>
    internal Func<string, string?> ProbeRegistry { get; set; } = registry => RegistryProbe.Connect(registry, TimeSpan.FromSeconds(10));

    protected override void Run()
    {
        var docker = Cli.Find() ?? throw new DiagnosticException("DockerNotFound", "docker");
        var endpoint = DockerEndpoint.Resolve(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        // Every project of a solution's publish asks the same engine about the same builder: once per build is enough.
        var key = string.Join("|", endpoint, Builder?.Trim(), Environment.GetEnvironmentVariable("DOCKER_CONTEXT"),
            Environment.GetEnvironmentVariable("BUILDX_BUILDER"), Environment.GetEnvironmentVariable("DOCKER_CONFIG"));
        var engine = Msbuild.BuildScopedCache.GetOrAdd(BuildEngine, key, () => Query(docker, endpoint));
        var (builder, imageStore) = (engine.Builder, engine.ImageStore);
        BuilderDriver = builder.Driver;
        var platforms = Platforms.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = new BuildRequest
        {
            Platforms = platforms,
            StepPlatforms = ReadDockerfile() is { } text ? StepPlatforms.Find(text, platforms) : null,
            CacheTo = [.. Msbuild.PropertyList.Split(CacheTo)],
            Load = string.IsNullOrWhiteSpace(Registry) && string.IsNullOrWhiteSpace(ArchiveOutputPath),
        };
        foreach (var problem in PreflightCheck.Run(builder, imageStore, request))
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

    /// <summary>What one engine and builder answer: reachable, the builder's description, the image store.</summary>
    private sealed record EngineAnswers(BuildxBuilder Builder, bool ImageStore);

    private EngineAnswers Query(string docker, string endpoint)
    {
        if (Ping(endpoint) is { } why)
        {
            throw new DiagnosticException("EngineUnreachable", endpoint, why);
        }

        var builder = Inspect(docker);
        var imageStore = builder.Driver == "docker"
            && DockerDriverStatus.UsesContainerdImageStore(Cli.Run(docker, ["info", "--format", "{{json .DriverStatus}}"], QueryTimeout).StdOut);
        return new EngineAnswers(builder, imageStore);
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

    private BuildxBuilder Inspect(string docker)
    {
        var builder = Inspect(docker, bootstrap: false);
        if (builder.Error is not null || !builder.NotRunning)
        {
            return builder;
        }

        // A builder that is not running lists no platforms; the build would start it, so the preflight does, to check it.
        Log.LogMessage(MessageImportance.High, "Stevedore preflight: builder {0} is not running; starting it (docker buildx inspect --bootstrap).", builder.Name);
        return Inspect(docker, bootstrap: true);
    }

    private BuildxBuilder Inspect(string docker, bool bootstrap)
    {
        var named = !string.IsNullOrWhiteSpace(Builder);
        List<string> arguments = named ? ["buildx", "inspect", "--builder", Builder!.Trim()] : ["buildx", "inspect"];
        if (bootstrap)
        {
            arguments.Add("--bootstrap");
        }

        var result = Cli.Run(docker, arguments, bootstrap ? BootstrapTimeout : QueryTimeout);
        var output = (result.StdErr + result.StdOut).Trim();
        if (result.ExitCode != 0)
        {
            // The CLI's own words when the plugin is not found (docker 24+: "unknown command", older: "is not a docker command").
            if (output.Contains("unknown command", StringComparison.Ordinal) || output.Contains("is not a docker command", StringComparison.Ordinal))
            {
                throw new DiagnosticException("BuildxMissing", output);
            }

            if (named && output.Contains("no builder", StringComparison.Ordinal))
            {
                throw new DiagnosticException("BuilderNotFound", Builder!.Trim());
            }

            throw new DiagnosticException("BuilderUnusable", named ? Builder!.Trim() : "(current)", output);
        }

        var builder = BuildxBuilder.Parse(result.StdOut);
        return builder.Error is null ? builder : throw new DiagnosticException("BuilderUnusable", builder.Name, builder.Error);
    }

    /// <summary>
    /// True when the engine is reached over TLS (DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, as the GitLab dind recipe sets
    /// them, or an https:// endpoint): the docker CLI holds the client certificates, so its `buildx inspect` is the
    /// check, not a plain ping that a TLS port would refuse.
    /// </summary>
    internal static bool UsesTls(Uri endpoint, Func<string, string?> environment) =>
        endpoint.Scheme == "https"
        || (endpoint.Scheme == "tcp" && (!string.IsNullOrEmpty(environment("DOCKER_TLS_VERIFY")) || !string.IsNullOrEmpty(environment("DOCKER_CERT_PATH"))));

    private static string? PingEngine(string endpoint)
    {
        Uri uri;
        try
        {
            uri = new Uri(endpoint);
        }
        catch (UriFormatException e)
        {
            return e.Message;
        }

        // Docker.DotNet speaks unix, npipe, tcp and http; for ssh://, TLS and others, buildx inspect is the check.
        if (uri.Scheme is not ("unix" or "npipe" or "tcp" or "http") || UsesTls(uri, Environment.GetEnvironmentVariable))
        {
            return null;
        }

        try
        {
            using var configuration = new DockerClientConfiguration(uri, defaultTimeout: TimeSpan.FromSeconds(10));
            using var client = configuration.CreateClient();
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            client.System.PingAsync(cancel.Token).GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or TimeoutException
            or OperationCanceledException or DockerApiException)
        {
            return e.InnerException?.Message ?? e.Message;
        }
    }
}
