using Stevedore.Testing;

namespace Stevedore.Templates.Tests;

/// <summary>
/// One project made by `dotnet new` from the installed templates, in a folder outside the repository; for a publish,
/// with the folder feed a user gives it (`--feed packages`, see <see cref="WithLocalFeed"/>) holding the packed Stevedore.Sdk.
/// </summary>
public sealed class TemplateProject
{
    public static string[] Platforms => EnginePublish.Platforms;

    private int publishes;

    public TemplateProject(string shortName, string name, params string[] options)
    {
        Name = name;
        Root = InstalledTemplates.NewFolder(name);
        Folder = Path.Combine(Root, name);
        Directory.CreateDirectory(Folder);
        InstalledTemplates.New(shortName, name, Folder, options);
        Tag = "templates-" + Guid.NewGuid().ToString("N")[..12];
    }

    public string Name { get; }

    /// <summary>Holds <see cref="Folder"/> and, beside it, the publish logs and binlogs (outside the build context).</summary>
    public string Root { get; }

    /// <summary>The folder `dotnet new` wrote the project into.</summary>
    public string Folder { get; }

    public string Tag { get; }

    /// <summary>The templates set ContainerRepository to the project name, lower-cased.</summary>
    public string Repository => Name.ToLowerInvariant();

    public string Image => $"{Repo.Registry}/{Repository}:{Tag}";

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Folder, relativePath));

    /// <summary>
    /// As README.md's quick start makes it: `dotnet new … --feed packages` (the template's nuget.config names packages/,
    /// inside the build context), then packages/Stevedore.Sdk.&lt;packed version&gt;.nupkg.
    /// </summary>
    public static TemplateProject WithLocalFeed(string shortName, string name, params string[] options)
    {
        var project = new TemplateProject(shortName, name, ["--feed", "packages", .. options]);
        PackedSdk.CopySdkPackageTo(Path.Combine(project.Folder, "packages"));
        return project;
    }

    /// <summary>
    /// `dotnet publish &lt;project file&gt;` with the test machine's settings on the command line only (stand-in base
    /// images through the mirror property, the local registry, host network, both platforms, this project's tag).
    /// </summary>
    public CommandResult Publish(string projectFile)
    {
        publishes++;
        var log = Path.Combine(Root, $"publish-{publishes}");
        return EnginePublish.Run(EnginePublish.Arguments(projectFile, $"{log}.binlog", Tag, []), Folder, $"{log}.log");
    }
}
