using System.Collections.Concurrent;
using Microsoft.Build.Definition;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Evaluation.Context;
using Microsoft.Build.Execution;

namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>
/// One build's evaluations for one set of global properties, shared by the ResolveProjectInputs of every project on
/// this MSBuild node: a solution's services that reference the same libraries evaluate each library once, not once per
/// service. The parsed SDK files (the collection) and the file system's answers (a shared evaluation context) are kept
/// with them. It lives for one build (BuildScopedCache), in which the project files do not change.
/// </summary>
internal sealed class ProjectEvaluations(IDictionary<string, string> globalProperties) : IDisposable
{
    private readonly ConcurrentDictionary<string, ProjectInstance> instances = new(StringComparer.Ordinal);
    private readonly EvaluationContext context = EvaluationContext.Create(EvaluationContext.SharingPolicy.Shared);

    public ProjectCollection Collection { get; } = new(globalProperties);

    /// <summary>The static graph's factory: a project evaluated with these global properties before is not evaluated again.</summary>
    public ProjectInstance Evaluate(string projectPath, Dictionary<string, string> properties, ProjectCollection collection) =>
        instances.GetOrAdd(
            Path.GetFullPath(projectPath) + "|" + Key(properties),
            _ => ProjectInstance.FromFile(projectPath, new ProjectOptions { GlobalProperties = properties, ProjectCollection = collection, EvaluationContext = context }));

    /// <summary>Global properties as one text, the same whatever their order: what tells one set of evaluations from another.</summary>
    public static string Key(IEnumerable<KeyValuePair<string, string>> properties) =>
        string.Join(";", properties.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => p.Key + "=" + p.Value));

    public void Dispose() => Collection.Dispose();
}
