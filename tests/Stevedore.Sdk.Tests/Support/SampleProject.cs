using Stevedore.Testing;

namespace Stevedore.Sdk.Tests;

/// <summary>How a test project brings in the packed SDK.</summary>
public enum ReferenceMode
{
    /// <summary>&lt;Sdk Name="Stevedore.Sdk" Version="…" /&gt;.</summary>
    SdkElementWithVersion,

    /// <summary>&lt;Sdk Name="Stevedore.Sdk" /&gt; with the version in global.json msbuild-sdks.</summary>
    GlobalJson,

    /// <summary>&lt;PackageReference Include="Stevedore.Sdk" … /&gt; (build/ props and targets).</summary>
    PackageReference,
}

/// <summary>
/// A throw-away repository under artifacts/tmp that consumes the packed SDK in isolation: its own global.json,
/// a &lt;clear/&gt; nuget.config on the packed feed, its own Directory.Build.props (so the Stevedore repository's is
/// not inherited) and an isolated NUGET_PACKAGES. Kept, with its binlog, when a test fails.
/// </summary>
internal sealed class SampleProject
{
    public SampleProject(string name, ReferenceMode mode, string sdk = "Microsoft.NET.Sdk.Web", string extraProperties = "", string extraItems = "")
    {
        // A repository of its own, as a user's is: nothing of the Stevedore repository's build files above it.
        Root = Repo.NewStandaloneRepository(name);
        var version = PackedSdk.Version;
        PackedSdk.WriteConsumerFiles(Root, pinInGlobalJson: mode == ReferenceMode.GlobalJson);
        Write("Directory.Build.props", "<Project />\n");
        var reference = mode switch
        {
            ReferenceMode.SdkElementWithVersion => $"<Sdk Name=\"Stevedore.Sdk\" Version=\"{version}\" />",
            ReferenceMode.GlobalJson => "<Sdk Name=\"Stevedore.Sdk\" />",
            _ => string.Empty,
        };
        var package = mode == ReferenceMode.PackageReference
            ? $"<ItemGroup><PackageReference Include=\"Stevedore.Sdk\" Version=\"{version}\" PrivateAssets=\"all\" /></ItemGroup>"
            : string.Empty;
        Write("src/App/App.csproj", $"""
            <Project Sdk="{sdk}">
              {reference}
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup><ProjectReference Include="../Lib/Lib.csproj" /></ItemGroup>
              {package}
              {extraItems}
            </Project>
            """);
        Write("src/App/Program.cs", "System.Console.WriteLine(Lib.Greeting.Text);\n");
        Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        Write("src/Lib/Greeting.cs", "namespace Lib; public static class Greeting { public const string Text = \"hi\"; }\n");
    }

    public string Root { get; }

    public string Obj => Path.Combine(Root, "src", "App", "obj", "Release", "net10.0");

    public string Generated(string file) => File.ReadAllText(Path.Combine(Obj, "stevedore", file));

    public void Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Runs `dotnet publish src/App` with a binlog in the folder.</summary>
    public CommandResult Publish(params string[] properties) => Publish(null, properties);

    /// <summary>Runs `dotnet publish src/App` with extra environment variables (null value: removed).</summary>
    public CommandResult Publish(IDictionary<string, string?>? environment, params string[] properties) =>
        PublishTargets(environment, [], properties);

    /// <summary>Runs `dotnet publish src/App -t:<paramref name="targets"/>…`, as SDK users type `-t:PublishContainer`.</summary>
    public CommandResult PublishTargets(IDictionary<string, string?>? environment, string[] targets, params string[] properties) =>
        CommandRunner.Run(
            "dotnet",
            ["publish", "src/App", "-tl:off", "-nodeReuse:false", "-v:n", "-bl:" + Path.Combine(Root, "publish.binlog"), .. targets.Select(t => "-t:" + t), .. properties.Select(p => "-p:" + p)],
            Root,
            new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["NUGET_PACKAGES"] = PackedSdk.NuGetPackagesFolder },
            TimeSpan.FromMinutes(5));

    /// <summary>Deletes the folder; call only once the test passed, so a failure keeps it and its binlog.</summary>
    public void Delete() => Directory.Delete(Root, recursive: true);
}
