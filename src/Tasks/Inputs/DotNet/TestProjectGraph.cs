using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>
/// Which projects ContainerRunTests runs: the test projects of a graph that reference, directly or through other
/// projects, the published project or a project of its closure; and the closure those test projects build.
/// </summary>
internal static class TestProjectGraph
{
    /// <summary>The test projects of <paramref name="graph"/> whose references reach a project of <paramref name="appClosure"/>, ordinal order.</summary>
    public static IReadOnlyList<EvaluatedProject> Referencing(IReadOnlyCollection<EvaluatedProject> graph, IReadOnlyCollection<string> appClosure)
    {
        var app = new HashSet<string>(appClosure, StringComparer.Ordinal);
        return graph.Where(p => p.IsTestProject && !app.Contains(p.FullPath) && Closure(graph, [p.FullPath]).Any(r => app.Contains(r.FullPath)))
            .OrderBy(p => p.FullPath, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary><paramref name="roots"/> and every project they reference, transitively, as evaluated in <paramref name="graph"/>.</summary>
    public static IReadOnlyList<EvaluatedProject> Closure(IReadOnlyCollection<EvaluatedProject> graph, IEnumerable<string> roots)
    {
        var byPath = graph.ToDictionary(p => p.FullPath, StringComparer.Ordinal);
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots);
        while (pending.Count > 0)
        {
            var path = pending.Pop();
            if (seen.Add(path) && byPath.TryGetValue(path, out var project))
            {
                foreach (var reference in project.References)
                {
                    pending.Push(reference);
                }
            }
        }

        return seen.Where(byPath.ContainsKey).Select(p => byPath[p]).ToList();
    }

    /// <summary>
    /// The projects of each candidate's closure, read one candidate at a time (<paramref name="read"/> shares what it
    /// evaluated before): a candidate MSBuild cannot evaluate, such as an Aspire AppHost or a MAUI project whose SDK this
    /// machine lacks, is skipped with MSBuild's reason instead of failing the publish.
    /// </summary>
    public static (IReadOnlyList<EvaluatedProject> Graph, IReadOnlyList<(string Project, string Reason)> Skipped) ReadEach(
        IEnumerable<string> candidates, Func<string, IReadOnlyList<EvaluatedProject>> read)
    {
        var graph = new Dictionary<string, EvaluatedProject>(StringComparer.Ordinal);
        var skipped = new List<(string, string)>();
        foreach (var candidate in candidates)
        {
            if (graph.ContainsKey(candidate))
            {
                continue;
            }

            try
            {
                foreach (var project in read(candidate))
                {
                    graph.TryAdd(project.FullPath, project);
                }
            }
            catch (DiagnosticException e) when (e.ResourceName == "ProjectEvaluationFailed")
            {
                skipped.Add((candidate, e.Arguments.Length > 1 ? e.Arguments[1]?.ToString() ?? string.Empty : string.Empty));
            }
        }

        return (graph.Values.OrderBy(p => p.FullPath, StringComparer.Ordinal).ToList(), skipped);
    }
}
