using System.Text.Json;

namespace Stevedore.Tasks.Engine;

/// <summary>
/// The engine address the docker CLI would use: DOCKER_HOST, else the current docker context's endpoint
/// (DOCKER_CONTEXT or config.json currentContext → contexts/meta/&lt;sha256 of name&gt;/meta.json), else the default socket.
/// </summary>
internal static class DockerEndpoint
{
    public const string DefaultSocket = "unix:///var/run/docker.sock";

    /// <summary>Resolves like the CLI; <paramref name="environment"/> reads a variable, <paramref name="home"/> is the user's home.</summary>
    public static string Resolve(Func<string, string?> environment, string home)
    {
        var host = environment("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(host))
        {
            return host.Trim();
        }

        var configDir = environment("DOCKER_CONFIG");
        configDir = string.IsNullOrWhiteSpace(configDir) ? Path.Combine(home, ".docker") : configDir;
        var context = environment("DOCKER_CONTEXT");
        if (string.IsNullOrWhiteSpace(context))
        {
            context = ReadString(Path.Combine(configDir, "config.json"), "currentContext");
        }

        if (string.IsNullOrWhiteSpace(context) || context == "default")
        {
            return DefaultSocket;
        }

        var meta = Path.Combine(configDir, "contexts", "meta", Sha256Hex(context), "meta.json");
        return ReadContextHost(meta) ?? DefaultSocket;
    }

    /// <summary>The folder name the CLI stores a context under.</summary>
    public static string Sha256Hex(string contextName) =>
        Files.TextHash.Sha256Hex(contextName);

    private static string? ReadContextHost(string metaPath)
    {
        var json = ReadJson(metaPath);
        if (json is null)
        {
            return null;
        }

        using (json)
        {
            return json.RootElement.TryGetProperty("Endpoints", out var endpoints)
                && endpoints.TryGetProperty("docker", out var docker)
                && docker.TryGetProperty("Host", out var host)
                && host.ValueKind == JsonValueKind.String
                    ? host.GetString()
                    : null;
        }
    }

    private static string? ReadString(string path, string property)
    {
        using var json = ReadJson(path);
        return json is not null && json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
    }

    // A missing or broken file means "not configured", as for the CLI's own fallback.
    private static JsonDocument? ReadJson(string path)
    {
        try
        {
            return File.Exists(path) ? JsonDocument.Parse(File.ReadAllBytes(path)) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
