using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Engine;

/// <summary>What one engine and builder answer: the builder's description, the image store, whether it had to be started.</summary>
internal sealed record EngineFacts(BuildxBuilder Builder, bool ImageStore, bool Bootstrapped);

/// <summary>
/// Asks the engine and the builder what the preflight checks, once per build: every project of a solution asks the same
/// engine about the same builder. <see cref="StartEngineQuery"/> starts it as the pipeline begins, so that
/// `docker buildx inspect` (a process and a plugin start, a third of a second) runs while the inputs are resolved and
/// the Dockerfile generated, and <see cref="CheckBuildEngine"/> finds the answer waiting. It logs nothing: it may
/// finish after the task that started it.
/// </summary>
internal static class EngineQuery
{
    // Generous: on a busy CI runner (many builds on one engine), `docker buildx inspect` has taken over 20 s to answer.
    // A slow answer is not an unusable builder; only an engine that never answers should end the build here.
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromMinutes(2);

    // Starting a docker-container builder pulls its BuildKit image and starts buildkitd.
    private static readonly TimeSpan BootstrapTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The endpoint the docker CLI would use.</summary>
    public static string Endpoint() =>
        DockerEndpoint.Resolve(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The query for this engine and builder: the one already under way in this build, else a new one.</summary>
    /// <param name="cacheFile">Where the builder's answer is kept for the next publish (<see cref="BuilderCache"/>); null asks buildx every time.</param>
    public static Task<EngineFacts> Start(IBuildEngine? buildEngine, string docker, string endpoint, string? builder, DockerCli cli, Func<string, EngineAnswer> askEngine, string? cacheFile = null)
    {
        var key = string.Join("|", endpoint, builder?.Trim(), Environment.GetEnvironmentVariable("DOCKER_CONTEXT"),
            Environment.GetEnvironmentVariable("BUILDX_BUILDER"), Environment.GetEnvironmentVariable("DOCKER_CONFIG"));
        return Msbuild.BuildScopedCache.GetOrAdd(buildEngine, key, () => Task.Run(() => Query(docker, endpoint, builder, cli, askEngine, cacheFile)));
    }

    private static EngineFacts Query(string docker, string endpoint, string? builderName, DockerCli cli, Func<string, EngineAnswer> askEngine, string? cacheFile)
    {
        var cacheKey = string.IsNullOrEmpty(cacheFile) ? null
            : BuilderCache.Key(docker, endpoint, builderName, Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        var kept = cacheKey is null ? null : BuilderCache.Load(cacheFile!, cacheKey, DateTime.UtcNow);

        // The API answers while buildx inspect starts; with a kept answer, only the engine is asked.
        var inspecting = kept is null ? Task.Run(() => Inspect(docker, builderName, cli)) : null;
        var answer = askEngine(endpoint);
        if (answer.Unreachable is { } why)
        {
            try
            {
                inspecting?.Wait();
            }
            catch (AggregateException)
            {
                // The unreachable engine is what to report.
            }

            throw new DiagnosticException("EngineUnreachable", endpoint, why);
        }

        BuildxBuilder builder;
        var bootstrapped = false;
        if (kept is { } k && answer.Identity is { } engine && k.Engine == engine)
        {
            builder = k.Builder;
        }
        else
        {
            (builder, bootstrapped) = (inspecting ?? Task.Run(() => Inspect(docker, builderName, cli))).GetAwaiter().GetResult();
            // Kept only when the engine told who it is: an answer from the CLI alone cannot be matched to an engine later.
            if (cacheKey is not null && answer.Identity is { } identity)
            {
                BuilderCache.Save(cacheFile!, cacheKey, identity, builder, DateTime.UtcNow);
            }
        }
        var imageStore = builder.Driver == "docker"
            && (answer.ContainerdImageStore
                ?? DockerDriverStatus.UsesContainerdImageStore(cli.Run(docker, ["info", "--format", "{{json .DriverStatus}}"], QueryTimeout).StdOut));
        return new EngineFacts(builder, imageStore, bootstrapped);
    }

    private static (BuildxBuilder Builder, bool Bootstrapped) Inspect(string docker, string? builderName, DockerCli cli)
    {
        var builder = Inspect(docker, builderName, cli, bootstrap: false);
        if (builder.Error is not null || !builder.NotRunning)
        {
            return (builder, false);
        }

        // A builder that is not running lists no platforms; the build would start it, so the preflight does, to check it.
        return (Inspect(docker, builderName, cli, bootstrap: true), true);
    }

    private static BuildxBuilder Inspect(string docker, string? builderName, DockerCli cli, bool bootstrap)
    {
        var named = !string.IsNullOrWhiteSpace(builderName);
        List<string> arguments = named ? ["buildx", "inspect", "--builder", builderName!.Trim()] : ["buildx", "inspect"];
        if (bootstrap)
        {
            arguments.Add("--bootstrap");
        }

        var result = cli.Run(docker, arguments, bootstrap ? BootstrapTimeout : QueryTimeout);
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
                throw new DiagnosticException("BuilderNotFound", builderName!.Trim());
            }

            throw new DiagnosticException("BuilderUnusable", named ? builderName!.Trim() : "(current)", output);
        }

        var builder = BuildxBuilder.Parse(result.StdOut);
        return builder.Error is null ? builder : throw new DiagnosticException("BuilderUnusable", builder.Name, builder.Error);
    }
}
