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
}
