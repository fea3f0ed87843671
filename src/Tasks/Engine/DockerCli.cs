using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Engine;

/// <summary>Runs short docker CLI queries (`buildx inspect`, `info`) for the preflight; a seam tests can replace.</summary>
internal class DockerCli
{
    /// <summary>The docker executable on PATH, or null.</summary>
    public virtual string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "docker.exe" : "docker");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs docker to completion; a query that hangs is killed and reported as exit code -1.</summary>
    public virtual ProcessResult Run(string docker, IEnumerable<string> arguments, TimeSpan timeout) =>
        ChildProcess.Run(docker, arguments, timeout);
}
