using System.Text.RegularExpressions;
using System.Xml.Linq;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>
/// The solutions that hold a project (.sln and .slnx files in its folder and every folder above it, up to the
/// repository root) and the projects they list: where ContainerRunTests looks for the project's tests.
/// </summary>
internal static partial class SolutionProjects
{
    /// <summary>The solution files at and above <paramref name="projectFolder"/> inside the repository, nearest first, ordinal within a folder.</summary>
    public static IReadOnlyList<string> SolutionsAbove(string projectFolder)
    {
        var repository = RepositoryPaths.RepositoryRoot(projectFolder);
        var folders = repository is null ? RepositoryPaths.UpToWorkspaceRoot(projectFolder) : RepositoryPaths.Ancestors(projectFolder).TakeWhile(f => RepositoryPaths.IsInside(f, repository));
        return folders.SelectMany(folder => Directory.EnumerateFiles(folder)
                .Where(f => f.EndsWith(".sln", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal))
            .ToList();
    }

    /// <summary>The project files <paramref name="solution"/> lists that exist, full paths.</summary>
    public static IReadOnlyList<string> In(string solution)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(solution))!;
        IEnumerable<string> paths;
        if (solution.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                paths = XDocument.Load(solution).Descendants("Project").Select(p => (string?)p.Attribute("Path")).OfType<string>().ToList();
            }
            catch (System.Xml.XmlException)
            {
                // dotnet reports a broken solution itself when it is used; here it only holds no tests.
                return [];
            }
        }
        else
        {
            paths = SlnProject().Matches(File.ReadAllText(solution)).Select(m => m.Groups["path"].Value);
        }

        return paths.Select(p => Path.GetFullPath(Path.Combine(folder, p.Replace('\\', '/'))))
            .Where(p => p.EndsWith("proj", StringComparison.OrdinalIgnoreCase) && File.Exists(p))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    // Project("{type}") = "Name", "relative\path.csproj", "{guid}"
    [GeneratedRegex(@"^Project\(""\{[^}]+\}""\)\s*=\s*""[^""]*""\s*,\s*""(?<path>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex SlnProject();
}
