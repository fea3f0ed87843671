using Microsoft.Build.Utilities;

namespace Stevedore.Tasks.Diagnostics;

/// <summary>Base of every Stevedore task: logs from Strings.resx so each error carries its STV code.</summary>
public abstract class StevedoreTask : Microsoft.Build.Utilities.Task
{
    protected StevedoreTask()
        : base(Strings.Manager)
    {
    }

    public sealed override bool Execute()
    {
        try
        {
            Run();
        }
        catch (DiagnosticException e)
        {
            // Expected failures become one coded error, never a stack trace.
            Log.LogErrorWithCodeFromResources(e.ResourceName, e.Arguments);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The task's one job; throw <see cref="DiagnosticException"/> for failures the user can fix.</summary>
    protected abstract void Run();
}
