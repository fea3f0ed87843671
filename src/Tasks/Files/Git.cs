namespace Stevedore.Tasks.Files;

/// <summary>Runs git for one answer: its trimmed standard output, or null when git is missing or fails.</summary>
internal static class Git
{
    /// <summary>Runs git with <paramref name="arguments"/> in <paramref name="directory"/>, writing <paramref name="input"/> (if any) to its standard input.</summary>
    public static string? Output(string directory, IEnumerable<string> arguments, string? input = null) =>
        ChildProcess.Run("git", arguments, Timeout.InfiniteTimeSpan, directory, input) is { ExitCode: 0 } result ? result.StdOut.Trim() : null;
}
