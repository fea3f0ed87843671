using System.Diagnostics;
using System.Text;
using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>
/// `dotnet publish` of a sample started in its own session and process group (setsid), so a test can watch its
/// output while it runs and interrupt it as a terminal's Ctrl+C does: SIGINT to the whole group.
/// </summary>
public sealed class BackgroundPublish : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string log;

    private BackgroundPublish(Process process, string log)
    {
        this.process = process;
        this.log = log;
    }

    /// <summary>The dotnet process; setsid made it the leader of its own process group.</summary>
    public int Id => process.Id;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public int ExitCode => process.ExitCode;

    public static BackgroundPublish Start(DotNetSample sample, params string[] properties)
    {
        // Plain progress: buildx's lines arrive as they happen (the report's rawjson is rendered per finished step).
        var psi = new ProcessStartInfo("setsid", ["dotnet", .. sample.PublishArguments(["ContainerBuildReport=false", .. properties])])
        {
            WorkingDirectory = sample.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath" })
        {
            psi.Environment.Remove(name);
        }

        foreach (var (name, value) in DotNetSample.Environment)
        {
            psi.Environment[name] = value;
        }

        // No MSBuild nodes that outlive the build: everything this publish starts belongs to its group.
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        var publish = new BackgroundPublish(new Process { StartInfo = psi }, Path.Combine(sample.Root, $"background-{Guid.NewGuid():N}"[..19] + ".log"));
        publish.process.OutputDataReceived += (_, e) => publish.Append(e.Data);
        publish.process.ErrorDataReceived += (_, e) => publish.Append(e.Data);
        publish.process.Start();
        publish.process.BeginOutputReadLine();
        publish.process.BeginErrorReadLine();
        return publish;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false when <paramref name="limit"/> passed or the publish ended first.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var end = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < end)
        {
            if (condition())
            {
                return true;
            }

            if (process.HasExited)
            {
                return condition();
            }

            Thread.Sleep(100);
        }

        return false;
    }

    /// <summary>What a terminal's Ctrl+C does: SIGINT to every process of the group.</summary>
    public void Interrupt() => CommandRunner.Run("kill", ["-INT", "--", $"-{process.Id}"]).EnsureSuccess();

    /// <summary>Waits for the publish to end; false when it still runs after <paramref name="limit"/>. Keeps its output beside the sample.</summary>
    public bool WaitForExit(TimeSpan limit)
    {
        var exited = process.WaitForExit(limit);
        if (exited)
        {
            process.WaitForExit(); // flush the output readers
        }

        File.WriteAllText(log, Output);
        return exited;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            CommandRunner.Run("kill", ["-KILL", "--", $"-{process.Id}"]);
            process.WaitForExit();
        }

        process.Dispose();
    }

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
