using Stevedore.Testing;

namespace Stevedore.Templates.Tests;

/// <summary>
/// Stevedore.Templates as packed from this checkout (eng/pack.sh, same version as Stevedore.Sdk), installed once per
/// test process into a template hive of its own, so the user's installed templates neither interfere nor change.
/// </summary>
public static class InstalledTemplates
{
    private static readonly Lazy<string> hive = new(Install);

    /// <summary>The --debug:custom-hive folder the templates are installed in.</summary>
    public static string Hive => hive.Value;

    /// <summary>`dotnet new &lt;shortName&gt; -n &lt;name&gt; -o &lt;folder&gt;` from the isolated hive, plus <paramref name="options"/>.</summary>
    public static CommandResult New(string shortName, string name, string folder, params string[] options) =>
        CommandRunner.Run("dotnet", ["new", shortName, "-n", name, "-o", folder, "--debug:custom-hive", Hive, .. options], folder).EnsureSuccess();

    /// <summary>A fresh folder outside the repository: the repository's Directory.Build.props and nuget.config must not reach the project.</summary>
    public static string NewFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "stevedore-templates-tests", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string Install()
    {
        var nupkg = Path.Combine(PackedSdk.Feed, $"Stevedore.Templates.{PackedSdk.Version}.nupkg");
        var folder = NewFolder("hive");
        CommandRunner.Run("dotnet", ["new", "install", nupkg, "--debug:custom-hive", folder], folder).EnsureSuccess();
        return folder;
    }
}
