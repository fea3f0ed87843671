using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Engine;

/// <summary>
/// Starts the preflight's questions to the engine and the builder (<see cref="EngineQuery"/>) as the pipeline begins and
/// returns at once; <see cref="CheckBuildEngine"/> takes the answers, and reports what is wrong, later. Never fails:
/// without docker on PATH there is nothing to start, and the preflight says so.
/// </summary>
public sealed class StartEngineQuery : StevedoreTask
{
    /// <summary>ContainerBuilder; empty means the current builder.</summary>
    public string? Builder { get; set; }

    /// <summary>Where the builder's answer is kept for the next publish (obj/…/stevedore/builder.json); empty asks buildx every time.</summary>
    public string? CacheFile { get; set; }

    protected override void Run()
    {
        var cli = new DockerCli();
        if (cli.Find() is { } docker)
        {
            EngineQuery.Start(BuildEngine, docker, EngineQuery.Endpoint(), Builder, cli, EngineApi.Ask, CacheFile);
        }
    }
}
