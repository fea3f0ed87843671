using Stevedore.Testing;

namespace Stevedore.Sdk.Tests.Go;

/// <summary>
/// A throw-away Go repository of its own (a temp folder with git init): api.goproj (Sdk="Stevedore.Sdk", version in global.json
/// msbuild-sdks pinned to the packed SDK), go.mod with a local replace, a &lt;clear/&gt; nuget.config on the packed
/// feed, an isolated NUGET_PACKAGES. Kept, with its binlog, when a test fails.
/// </summary>
internal sealed class GoProject
{
    public GoProject(string name, string goMod = DefaultGoMod, string projectProperties = "")
    {
        // A repository of its own, as a user's is: nothing of the Stevedore repository's build files above it.
        Root = Repo.NewStandaloneRepository("go-" + name);
        PackedSdk.WriteConsumerFiles(Root);
        Write("api.goproj", $"""
            <Project Sdk="Stevedore.Sdk">
              <PropertyGroup>
                <ContainerRepository>samples/go-api</ContainerRepository>
                {projectProperties}
              </PropertyGroup>
            </Project>
            """);
        if (goMod.Length > 0)
        {
            Write("go.mod", goMod);
        }

        Write("main.go", "package main\n\nfunc main() {}\n");
        Write("greet/go.mod", "module example.com/greet\n\ngo 1.24\n");
        Write("greet/greet.go", "package greet\n");
    }

    public const string DefaultGoMod = "module example.com/api\n\ngo 1.24\n\nrequire example.com/greet v0.0.0\n\nreplace example.com/greet => ./greet\n";

    public string Root { get; }

    public string Stevedore => Path.Combine(Root, "obj", "stevedore");

    public string Generated(string file) => File.ReadAllText(Path.Combine(Stevedore, file));

    public void Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Runs `dotnet <paramref name="verb"/>` on the folder (the .goproj is its only project) with a binlog.</summary>
    public CommandResult Run(string verb, params string[] properties) =>
        CommandRunner.Run(
            "dotnet",
            [verb, "-tl:off", "-nodeReuse:false", "-v:n", "-bl:" + Path.Combine(Root, verb + ".binlog"), .. properties.Select(p => "-p:" + p)],
            Root,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = PackedSdk.NuGetPackagesFolder },
            TimeSpan.FromMinutes(5));

    /// <summary>Deletes the folder; call only once the test passed.</summary>
    public void Delete() => Directory.Delete(Root, recursive: true);
}
