using Microsoft.Build.Utilities;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// Logs what finished build steps printed as diagnostics (<see cref="StepDiagnostic"/>) as MSBuild warnings and errors
/// with their own code and file, each once (a step that compiles once per platform, a console logger's closing summary
/// and a retried build would repeat it): warnings of every step, errors of the steps that failed. They reach the user
/// in every logger, the terminal logger's project summary included, which shows no step output at all.
/// </summary>
internal sealed class StepDiagnosticLog(TaskLoggingHelper log, IReadOnlyList<string> contexts)
{
    private readonly HashSet<StepDiagnostic> logged = [];

    /// <summary>Logs the new diagnostics of <paramref name="finished"/>'s output.</summary>
    public void Log(IEnumerable<BuildVertex> finished)
    {
        foreach (var vertex in finished)
        {
            foreach (var d in vertex.Logs.Select(StepDiagnostic.Parse).OfType<StepDiagnostic>().Select(d => d.OnHost(contexts)))
            {
                // A step that succeeded may print "error" lines it recovered from; only a failed step's are errors.
                if ((d.IsError && vertex.Error is null) || !logged.Add(d))
                {
                    continue;
                }

                if (d.IsError)
                {
                    log.LogError(d.Subcategory, d.Code, null, d.File, d.Line, d.Column, 0, 0, "{0}", d.Message);
                }
                else
                {
                    log.LogWarning(d.Subcategory, d.Code, null, d.File, d.Line, d.Column, 0, 0, "{0}", d.Message);
                }
            }
        }
    }
}
