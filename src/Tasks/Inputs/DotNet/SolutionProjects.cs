using System.Text.RegularExpressions;
using System.Xml.Linq;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Inputs.DotNet;

/// <summary>
/// The solutions that hold a project (the .sln and .slnx files of the nearest folder that has any, from the project's
/// folder up to the workspace root: the repository's, or the folder of a global.json) and the projects they list:
/// where ContainerRunTests looks for the project's tests.
/// </summary>
internal static partial class SolutionProjects
{
    /// <summary>The solution files of the nearest folder at or above <paramref name="projectFolder"/> that has any, ordinal order; none when no folder up to the workspace root has one.</summary>
    public static IReadOnlyList<string> SolutionsAbove(string projectFolder) =>
        RepositoryPaths.UpToWorkspaceRoot(projectFolder)
            .Select(folder => Directory.EnumerateFiles(folder)
                .Where(f => f.EndsWith(".sln", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList())
            .FirstOrDefault(solutions => solutions.Count > 0) ?? [];

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
