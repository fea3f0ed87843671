using System.Diagnostics;
using System.Text;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests;

/// <summary>A program started on the host that keeps running (e.g. `dotnet run`); disposing kills its whole process tree.</summary>
public sealed class RunningProcess : RunningApp
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private RunningProcess(Process process, string commandLine)
    {
        this.process = process;
        Name = $"`{commandLine}`";
    }

    public override string Name { get; }

    public static RunningProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The child must not inherit the test host's MSBuild state (as in CommandRunner).
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath" })
        {
            psi.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        var process = new Process { StartInfo = psi };
        var running = new RunningProcess(process, $"{fileName} {string.Join(' ', psi.ArgumentList)}");
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    public override string Logs()
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    public override void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    protected override bool IsRunning() => !process.HasExited;

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
