using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Engine;

/// <summary>
/// The last `docker buildx inspect` answer (<see cref="BuildxBuilder"/>) kept in obj/…/stevedore/builder.json for a few
/// minutes: the inspect is a docker CLI and two buildx plugin processes, the preflight's dearest part, and a republish
/// asks the same builder the same question. The engine itself is still asked at every publish (an engine that went
/// away is STV2101 as before); the kept answer counts only when
/// <list type="bullet">
/// <item>it is younger than <see cref="Validity"/>;</item>
/// <item>the engine that answers is the same one (its ID, name and version);</item>
/// <item>the key is the same: the endpoint, ContainerBuilder, DOCKER_CONTEXT, BUILDX_BUILDER, DOCKER_CONFIG, DOCKER_HOST,
/// the content of the files that select and describe the builder (config.json, buildx/current, the builder's file in
/// buildx/instances: created, changed or removed), and the docker CLI and every docker-buildx plugin location.</item>
/// </list>
/// Only an answer the preflight accepted is kept; ContainerPreflightCache=false bypasses it.
/// </summary>
internal static class BuilderCache
{
    /// <summary>The format of the file this assembly writes.</summary>
    public const int Version = 1;

    /// <summary>The file's name under obj/…/stevedore.</summary>
    public const string FileName = "builder.json";

    /// <summary>How long a kept answer counts: a builder's platforms change when emulators are registered or a node is added.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    // Where the docker CLI looks for plugins besides $DOCKER_CONFIG/cli-plugins (docker/cli's defaultSystemPluginDirs on Linux).
    private static readonly string[] SystemPluginFolders =
        ["/usr/local/lib/docker/cli-plugins", "/usr/local/libexec/docker/cli-plugins", "/usr/lib/docker/cli-plugins", "/usr/libexec/docker/cli-plugins"];

    /// <summary>What the answer depends on besides the engine, as one hash.</summary>
    public static string Key(string docker, string endpoint, string? builder, Func<string, string?> environment, string home)
    {
        var config = environment("DOCKER_CONFIG") is { Length: > 0 } dockerConfig ? dockerConfig : Path.Combine(home, ".docker");
        var named = builder?.Trim() is { Length: > 0 } b ? b : environment("BUILDX_BUILDER");
        var text = new StringBuilder();
        text.Append("format=").Append(Version).Append('\n');
        text.Append("stevedore=").Append(typeof(BuilderCache).Assembly.ManifestModule.ModuleVersionId).Append('\n');
        text.Append("endpoint=").Append(endpoint).Append('\n');
        text.Append("builder=").Append(builder?.Trim()).Append('\n');
        foreach (var name in new[] { "DOCKER_CONTEXT", "BUILDX_BUILDER", "DOCKER_CONFIG", "DOCKER_HOST" })
        {
            text.Append("env=").Append(name).Append('=').Append(environment(name)).Append('\n');
        }

        // What says which builder is meant and how it is made, by content: buildx rewrites buildx/current, unchanged, at
        // every command. The builder's file is the named one's, else the selected one's (none for an engine's own builder).
        var current = Path.Combine(config, "buildx", "current");
        named ??= CurrentBuilderName(current);
        var described = new List<string> { Path.Combine(config, "config.json"), current };
        if (named is { Length: > 0 })
        {
            described.Add(Path.Combine(config, "buildx", "instances", named));
        }

        foreach (var file in described)
        {
            text.Append("content=").Append(file).Append('|').Append(ContentStamp(file)).Append('\n');
        }

        // The programs that answer: the docker CLI and every place the buildx plugin may be installed.
        foreach (var file in SystemPluginFolders.Prepend(Path.Combine(config, "cli-plugins")).Select(f => Path.Combine(f, "docker-buildx")).Prepend(docker))
        {
            text.Append("program=").Append(file).Append('|').Append(FileStamp.Of(file)).Append('\n');
        }

        return Files.TextHash.Sha256Hex(text.ToString());
    }

    /// <summary>The kept answer for <paramref name="key"/> and the engine that gave it, when it is young enough; else null.</summary>
    public static (string Engine, BuildxBuilder Builder)? Load(string file, string key, DateTime now)
    {
        try
        {
            if (!File.Exists(file))
            {
                return null;
            }

            var entry = JsonSerializer.Deserialize<Entry>(File.ReadAllText(file), Options);
            return entry is { Version: Version } && entry.Key == key && entry.Builder is not null
                && now >= entry.Written && now - entry.Written < Validity
                ? (entry.Engine, entry.Builder)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Keeps <paramref name="builder"/>, as <paramref name="engine"/> runs it, for <paramref name="key"/>.</summary>
    public static void Save(string file, string key, string engine, BuildxBuilder builder, DateTime now) =>
        AtomicFile.Write(file, JsonSerializer.Serialize(new Entry(Version, key, engine, now, builder), Options));

    private static string ContentStamp(string path)
    {
        try
        {
            return File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "missing";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable " + Guid.NewGuid();
        }
    }

    // buildx/current: {"Key":"<endpoint>","Name":"<builder>","Global":false}; an empty name is the engine's own builder.
    private static string? CurrentBuilderName(string current)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(current));
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("Name", out var name)
                && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private sealed record Entry(int Version, string Key, string Engine, DateTime Written, BuildxBuilder Builder);
}
