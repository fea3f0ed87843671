namespace Stevedore.Tasks.Diagnostics;

/// <summary>
/// An expected failure from the pure model, carried up to the task that logs it as a coded error.
/// Names a resource in Strings.resx so the model never formats user-facing text itself.
/// </summary>
internal sealed class DiagnosticException(string resourceName, params object[] arguments)
    : Exception(resourceName)
{
    /// <summary>The Strings.resx entry whose value starts with STVnnnn.</summary>
    public string ResourceName { get; } = resourceName;

    /// <summary>The values the message names, in placeholder order.</summary>
    public object[] Arguments { get; } = arguments;

    /// <summary>The formatted message, for tests and non-MSBuild callers.</summary>
    public string Text => string.Format(System.Globalization.CultureInfo.InvariantCulture, Strings.Get(ResourceName), Arguments);
}
