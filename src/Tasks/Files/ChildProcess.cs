using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Stevedore.Tasks.Files;

/// <summary>What one short process (a docker query, a git answer) printed and how it exited; -1 when it did not run to its end.</summary>
internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs a short process for its answer: both output streams read alongside (a chatty one cannot block on a full pipe).</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="arguments"/> (in <paramref name="directory"/>, writing
    /// <paramref name="input"/> to its standard input, when given); one that outlives <paramref name="timeout"/> is
    /// killed with its children. A program that cannot start, or exits before reading its input, gives -1.
    /// </summary>
    public static ProcessResult Run(string program, IEnumerable<string> arguments, TimeSpan timeout, string? directory = null, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory ?? string.Empty,
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (input is not null)
        {
            start.StandardInputEncoding = new UTF8Encoding(false);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }

            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new ProcessResult(-1, stdout.Result, "timed out after " + timeout.TotalSeconds + " s");
            }

            return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (Exception e) when (e is Win32Exception or IOException)
        {
            return new ProcessResult(-1, string.Empty, e.Message); // not on PATH, or exited before reading its input
        }
    }
}
