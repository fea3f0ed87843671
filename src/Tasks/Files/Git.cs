using System.Diagnostics;
using System.Text;

namespace Stevedore.Tasks.Files;

/// <summary>Runs git for one answer: its trimmed standard output, or null when git is missing or fails.</summary>
internal static class Git
{
    /// <summary>
    /// Runs git with <paramref name="arguments"/> in <paramref name="directory"/>, writing <paramref name="input"/> (if
    /// any) to its standard input; stderr is read alongside so a chatty git cannot block on a full pipe.
    /// </summary>
    public static string? Output(string directory, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
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
            using var git = Process.Start(start)!;
            var errors = git.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                git.StandardInput.Write(input);
                git.StandardInput.Close();
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            _ = errors.Result;
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on PATH
        }
        catch (IOException)
        {
            return null; // git exited before reading its input
        }
    }
}
