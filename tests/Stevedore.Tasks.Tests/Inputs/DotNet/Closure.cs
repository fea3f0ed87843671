using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Options;

namespace Stevedore.Tasks.Tests.Inputs.DotNet;

/// <summary>
/// <see cref="EvaluatedProject"/>s for a temp tree, imported the way MSBuild's common targets do it (the nearest
/// Directory.Build.props/.targets and Directory.Packages.props above each project), plus SDK files in a toolset folder.
/// </summary>
internal static class Closure
{
    public const string Toolset = "/usr/share/dotnet";

    public static EvaluatedProject Of(string project, params string[] extraImports) => new()
    {
        FullPath = project,
        Imports = [Toolset + "/sdk/10.0.100/Sdks/Microsoft.NET.Sdk/Sdk/Sdk.props", .. Nearest(project), .. extraImports],
        OutputFolders = [Path.Combine(Path.GetDirectoryName(project)!, "obj"), Path.Combine(Path.GetDirectoryName(project)!, "bin")],
        ToolsetFolders = [Toolset],
        LockFile = Path.Combine(Path.GetDirectoryName(project)!, "packages.lock.json"),
    };

    public static EvaluatedProject[] WithReferences(string project, string[] references) => [Of(project), .. references.Select(r => Of(r))];

    private static IEnumerable<string> Nearest(string project)
    {
        foreach (var name in new[] { "Directory.Build.props", "Directory.Packages.props", "Directory.Build.targets" })
        {
            for (var d = new DirectoryInfo(Path.GetDirectoryName(project)!); d is not null; d = d.Parent)
            {
                var file = Path.Combine(d.FullName, name);
                if (File.Exists(file))
                {
                    yield return file;
                    break;
                }
            }
        }
    }
}
