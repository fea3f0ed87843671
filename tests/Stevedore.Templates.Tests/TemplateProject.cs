using Stevedore.Testing;

namespace Stevedore.Templates.Tests;

/// <summary>
/// One project made by `dotnet new` from the installed templates, in a folder outside the repository, with what a
/// build container needs to restore offline: a nuget.config (&lt;clear/&gt;) whose only feed is packages/ inside the
/// project folder (so the build context holds it), holding the packed Stevedore.Sdk.
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

    /// <summary>Adds nuget.config and packages/Stevedore.Sdk.&lt;packed version&gt;.nupkg next to the project.</summary>
    public void UseLocalFeed()
    {
        PackedSdk.CopySdkPackageTo(Path.Combine(Folder, "packages"));
        PackedSdk.WriteNuGetConfig(Folder, "packages", "packages");
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
