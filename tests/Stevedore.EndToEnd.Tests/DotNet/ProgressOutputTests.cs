using System.Text.RegularExpressions;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>
/// What a user of `dotnet publish` sees while the image builds and after: in an interactive terminal (a pseudo-terminal,
/// the default terminal logger) and in a CI log (no terminal, plain lines). A compiler warning in the source reaches
/// them although the build succeeds: the host never compiles, so it comes from the build step's output.
/// </summary>
[TestClass]
public sealed partial class ProgressOutputTests
{
    [TestMethod]
    public void TerminalAndCiLogShowTheRunningBuildTheImageAndAStepsCompilerWarning()
    {
        var sample = new DotNetSample(nameof(TerminalAndCiLogShowTheRunningBuildTheImageAndAStepsCompilerWarning));
        // The sample treats warnings as errors; a user's project that does not gets a warning and an image.
        sample.Edit("Directory.Build.props", p => p.Replace("<TreatWarningsAsErrors>true<", "<TreatWarningsAsErrors>false<", StringComparison.Ordinal));
        // A name of its own per run: an edit seen before would leave the compile step CACHED, and a cached step prints nothing.
        var unused = "unused" + Guid.NewGuid().ToString("N")[..8];
        sample.Edit("src/Api/Program.cs", p => p.Replace("app.Run();", $"int {unused};\napp.Run();", StringComparison.Ordinal));
        var program = Path.Combine(sample.Folder, "src", "Api", "Program.cs");
        var line = Array.IndexOf(File.ReadAllLines(program), $"int {unused};") + 1;

        // Interactive: `dotnet publish` as typed, in a terminal of 120 columns (the terminal logger needs a size).
        var arguments = sample.PublishArguments().Where(a => a is not "-tl:off" and not "-v:n");
        var typescript = Path.Combine(sample.Root, "terminal.typescript");
        var command = "stty cols 120 rows 40; exec dotnet " + string.Join(' ', arguments.Select(Quote));
        // A terminal emulator sets TERM; `dotnet test` sets MSBUILDENSURESTDOUTFORTASKPROCESSES for the test host, and a CI
        // runner sets CI (or its own variable): each keeps the terminal logger off, as it is for no user at a terminal.
        var environment = new Dictionary<string, string?>(DotNetSample.Environment!) { ["TERM"] = "xterm-256color", ["MSBUILDENSURESTDOUTFORTASKPROCESSES"] = null };
        foreach (var ci in CiVariables)
        {
            environment[ci] = null;
        }

        var run = CommandRunner.Run("script", ["-qec", command, typescript], sample.Folder, environment, TimeSpan.FromMinutes(20));
        var screen = Screen(File.ReadAllText(typescript));
        File.WriteAllText(Path.Combine(sample.Root, "terminal.txt"), screen);
        Assert.AreEqual(0, run.ExitCode, screen);

        // While it ran: the terminal logger's live line, the project and its running target with the elapsed time.
        var building = screen.IndexOf("Api net10.0 StevedoreBuild (", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, building, screen);
        var reporting = screen.IndexOf("StevedoreReport (", building, StringComparison.Ordinal);
        var times = Elapsed().Matches(screen[building..(reporting < 0 ? screen.Length : reporting)]).Select(m => m.Value).Distinct().ToList();
        Assert.IsGreaterThan(1, times.Count, "the live line's time went on while buildx ran:\n" + screen);
        // After: the project's result names the image, and the step's warning is there with the host's file.
        StringAssert.Contains(screen, $"Api net10.0 succeeded with 1 warning(s)");
        StringAssert.Contains(screen, "→ " + sample.Image);
        StringAssert.Contains(screen, $"{program}({line},5): warning CS0168: The variable '{unused}' is declared but never used");

        // CI: no terminal, plain lines; the compile step is named when it starts, before it ends, and its warning shows.
        sample.Edit("src/Api/Program.cs", p => p.Replace(unused, "ci" + unused, StringComparison.Ordinal));
        var log = sample.Publish().Output;
        var lines = log.Split('\n').Select(l => l.Trim()).ToList();
        var started = lines.FindIndex(l => CompileStep().IsMatch(l));
        Assert.IsGreaterThanOrEqualTo(0, started, log);
        var number = lines[started].Split(' ')[0];
        var done = lines.FindIndex(started + 1, l => l.StartsWith(number + " DONE ", StringComparison.Ordinal));
        Assert.IsGreaterThan(started, done, log);
        StringAssert.Contains(log, $"{program}({line},5): warning CS0168: The variable 'ci{unused}' is declared but never used");
        StringAssert.Contains(log, "Api -> " + sample.Image);
    }

    // What the terminal showed, without colours, cursor moves and terminal-title or progress sequences.
    /// <summary>What the .NET CLI and MSBuild read as "running in CI" (the terminal logger stays off then).</summary>
    private static readonly string[] CiVariables =
        ["CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "APPVEYOR", "TRAVIS", "CIRCLECI", "CODEBUILD_BUILD_ID", "BUILD_ID",
         "BUILD_URL", "PROJECT_ID", "TEAMCITY_VERSION", "JB_SPACE_API_URL", "JENKINS_URL", "BUILDKITE", "RUN_ID"];

    private static string Screen(string typescript) =>
        AnsiSequence().Replace(typescript, string.Empty).Replace("\r", string.Empty, StringComparison.Ordinal);

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[=>]")]
    private static partial Regex AnsiSequence();

    // "  Api net10.0 StevedoreBuild (12.3s)", then only the time is rewritten in place: "(14.0s)".
    [GeneratedRegex(@"\(\d+\.\ds\)")]
    private static partial Regex Elapsed();

    [GeneratedRegex(@"^#\d+ \[(?:\S+ )?build +\d+/\d+\] RUN .*dotnet msbuild ")]
    private static partial Regex CompileStep();
}
