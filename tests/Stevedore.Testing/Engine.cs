namespace Stevedore.Testing;

/// <summary>The engine and registry the end-to-end tests need; missing ones fail the test, never skip it.</summary>
public static class Engine
{
    private static readonly Lazy<string?> problem = new(FindProblem);

    /// <summary>Throws, naming the fix, unless dockerd, buildx and the local registry answer.</summary>
    public static void Require()
    {
        if (problem.Value is { } p)
        {
            throw new InvalidOperationException(p + " Run `eng/engine.sh up` (the README's commands do this).");
        }
    }

    private static string? FindProblem()
    {
        var info = CommandRunner.Run("docker", ["info", "--format", "{{.ServerVersion}}"], timeout: TimeSpan.FromSeconds(30));
        if (info.ExitCode != 0)
        {
            return "No Docker engine answers: " + info.Output.Trim();
        }

        var buildx = CommandRunner.Run("docker", ["buildx", "version"], timeout: TimeSpan.FromSeconds(30));
        if (buildx.ExitCode != 0)
        {
            return "docker buildx is missing: " + buildx.Output.Trim();
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            http.GetStringAsync($"http://{Repo.Registry}/v2/_catalog").GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"The local registry {Repo.Registry} does not answer: {e.Message}.";
        }

        return null;
    }
}
