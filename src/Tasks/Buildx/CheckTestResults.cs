using Microsoft.Build.Framework;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// Reads what the ContainerRunTests run exported to the host (<see cref="TestResults"/>) and fails the publish before
/// the image is built when a test failed (STV1301, naming the tests) or the run failed without a failed test (STV1304).
/// </summary>
public sealed class CheckTestResults : Diagnostics.StevedoreTask
{
    /// <summary>The folder `--target test-results --output type=local` wrote.</summary>
    [Required]
    public string ResultsDirectory { get; set; } = string.Empty;

    [Output]
    public int Passed { get; private set; }

    [Output]
    public int Failed { get; private set; }

    [Output]
    public int Skipped { get; private set; }

    protected override void Run()
    {
        var results = TestResults.Read(ResultsDirectory);
        Passed = results.Passed;
        Failed = results.Failed;
        Skipped = results.Skipped;
        if (results.Failed > 0)
        {
            throw new Diagnostics.DiagnosticException("TestsFailed", results.Failed, results.Total, results.FailedTestList(), ResultsDirectory);
        }

        if (results.ExitCode != 0)
        {
            throw new Diagnostics.DiagnosticException("TestRunFailed", results.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown", ResultsDirectory);
        }

        Log.LogMessage(MessageImportance.High, "Stevedore: tests passed in the container: {0} passed, {1} skipped; results in {2}", results.Passed, results.Skipped, ResultsDirectory);
    }
}
