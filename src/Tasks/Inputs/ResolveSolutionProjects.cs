using Microsoft.Build.Construction;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Exceptions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Inputs;

/// <summary>
/// The projects a solution's bake asks for their images: every MSBuild project of a solution (.sln or .slnx, read
/// by MSBuild's own SolutionFile), or the ProjectReference items of a traversal project. Which of them are container
/// projects each project says itself (the bake calls a target that only Stevedore projects have).
/// </summary>
public sealed class ResolveSolutionProjects : StevedoreTask
{
    /// <summary>The solution file, or a traversal project whose ProjectReference items list the projects.</summary>
    [Required]
    public string Root { get; set; } = string.Empty;

    /// <summary>The projects' full paths, in the solution's order.</summary>
    [Output]
    public ITaskItem[] Projects { get; private set; } = [];

    protected override void Run()
    {
        var root = Path.GetFullPath(Root);
        IEnumerable<string> projects;
        try
        {
            projects = root.EndsWith(".sln", StringComparison.OrdinalIgnoreCase) || root.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase)
                ? SolutionFile.Parse(root).ProjectsInOrder
                    .Where(p => p.ProjectType is SolutionProjectType.KnownToBeMSBuildFormat)
                    .Select(p => p.AbsolutePath)
                : ProjectReferences(root);
        }
        catch (Exception e) when (e is InvalidProjectFileException or IOException or UnauthorizedAccessException)
        {
            throw new DiagnosticException("BakeTargetUnreadable", root, e.Message);
        }

        Projects = [.. projects.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Select(p => new TaskItem(p))];
    }

    private static List<string> ProjectReferences(string traversal)
    {
        using var collection = new ProjectCollection();
        var project = collection.LoadProject(traversal);
        return [.. project.GetItems("ProjectReference").Select(i => Path.Combine(project.DirectoryPath, i.EvaluatedInclude))];
    }
}
