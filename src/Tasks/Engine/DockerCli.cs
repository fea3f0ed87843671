using System.Diagnostics;

namespace Stevedore.Tasks.Engine;

/// <summary>What one docker CLI call printed and how it exited.</summary>
internal sealed record DockerCliResult(int ExitCode, string StdOut, string StdErr);

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
    public virtual DockerCliResult Run(string docker, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(docker)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new DockerCliResult(-1, stdout.Result, "timed out after " + timeout.TotalSeconds + " s");
        }

        return new DockerCliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
