namespace Stevedore.Testing;

/// <summary>
/// `dotnet publish` of a project that consumes the packed SDK onto the test machine's engine, its settings on the
/// command line only: stand-in base images through the mirror property, the local registry, host network, both
/// platforms, one tag.
/// </summary>
public static class EnginePublish
{
    public static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];

    /// <summary>What every dotnet command on such a project needs: the packages folder that holds the packed SDK.</summary>
    public static IDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackedSdk.NuGetPackagesFolder };

    /// <summary>
    /// The arguments of `dotnet`: publish <paramref name="project"/> with a binlog, the engine's settings and <paramref name="tag"/>,
    /// then <paramref name="properties"/> ("Name=value"; later properties win).
    /// </summary>
    public static List<string> Arguments(string project, string binlog, string tag, IEnumerable<string> properties)
    {
        string[] engine =
        [
            $"ContainerBaseImageRegistry={Repo.Registry}",
            $"ContainerRegistry={Repo.Registry}",
            "ContainerBuildNetwork=host",
            $"ContainerPlatforms={string.Join(',', Platforms)}",
            $"ContainerImageTags={tag}",
        ];
        var arguments = new List<string> { "publish", project, "-tl:off", "-v:n", $"-bl:{binlog}" };
        // Quoted, so the commas of platform lists and cache specs stay inside one property.
        arguments.AddRange(engine.Concat(properties).Select(p => p.Split('=', 2) is [var name, var value] ? $"-p:{name}=\"{value}\"" : throw new ArgumentException(p)));
        return arguments;
    }

    /// <summary>Runs `dotnet <paramref name="arguments"/>` in <paramref name="folder"/>, writes its output to <paramref name="log"/>, throws when it failed.</summary>
    public static CommandResult Run(IEnumerable<string> arguments, string folder, string log)
    {
        var result = CommandRunner.Run("dotnet", arguments, folder, new Dictionary<string, string?>(Environment!), TimeSpan.FromMinutes(20));
        File.WriteAllText(log, result.Output);
        return result.EnsureSuccess();
    }
}
