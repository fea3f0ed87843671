using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Realistic;

/// <summary>What the realistic-sample tests share: publishing on another engine, asking a container.</summary>
internal static class RealisticPublish
{
    /// <summary>
    /// `dotnet publish` of <paramref name="sample"/> on <paramref name="engine"/> (its DOCKER_HOST) with
    /// <paramref name="properties"/>; keeps the log in the sample's folder and throws when it failed.
    /// </summary>
    public static CommandResult On(FreshEngine engine, PinnedSample sample, params string[] properties)
    {
        var arguments = sample.PublishArguments(properties);
        var environment = new Dictionary<string, string?>(PinnedSample.Environment!);
        foreach (var (name, value) in engine.Environment)
        {
            environment[name] = value;
        }

        var result = CommandRunner.Run("dotnet", arguments, sample.Folder, environment, TimeSpan.FromMinutes(20));
        File.WriteAllText(Path.Combine(sample.Root, $"publish-fresh-engine-{Guid.NewGuid():N}.log"), result.Output);
        return result.EnsureSuccess();
    }

    /// <summary>GET <paramref name="url"/> on a started container once it answers, parsed.</summary>
    public static JsonElement Json(RunningContainer container, string url, TimeSpan patience) =>
        JsonDocument.Parse(container.GetWhenReady(url, patience)).RootElement.Clone();

    /// <summary>The user the container's main process runs as (docker inspect: Config.User).</summary>
    public static string ConfiguredUser(RunningContainer container) =>
        CommandRunner.Docker("inspect", "-f", "{{.Config.User}}", container.Id).EnsureSuccess().StdOut.Trim();
}
