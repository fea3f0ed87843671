using Stevedore.Testing;

namespace Stevedore.Sdk.Tests.Bake;

/// <summary>
/// A user's repository with a solution: two container services (a web API and a worker) sharing a library, a tool
/// that has Stevedore but turns it off, and a test project without Stevedore. Consumes the packed SDK in isolation.
/// </summary>
internal sealed class ShopSolution
{
    public ShopSolution(string name)
    {
        Root = Repo.NewStandaloneRepository(name);
        PackedSdk.WriteConsumerFiles(Root, pinInGlobalJson: true);
        Write("Directory.Build.props", "<Project />\n");
        Write("src/Api/Api.csproj", """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <Sdk Name="Stevedore.Sdk" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ContainerRepository>shop/api</ContainerRepository>
                <ContainerCacheTo>type=registry,ref=127.0.0.1:5000/shop/api-cache,mode=max</ContainerCacheTo>
              </PropertyGroup>
              <ItemGroup><ProjectReference Include="../Shop.Lib/Shop.Lib.csproj" /></ItemGroup>
            </Project>
            """);
        Write("src/Api/Program.cs", "var app = WebApplication.Create(args); app.MapGet(\"/\", () => Shop.Lib.Greeting.Text); app.Run();\n");
        Write("src/Shop.Worker/Shop.Worker.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Stevedore.Sdk" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <ContainerRepository>shop/worker</ContainerRepository>
                <ContainerPlatforms>linux/arm64</ContainerPlatforms>
              </PropertyGroup>
              <ItemGroup><ProjectReference Include="../Shop.Lib/Shop.Lib.csproj" /></ItemGroup>
            </Project>
            """);
        Write("src/Shop.Worker/Program.cs", "System.Console.WriteLine(Shop.Lib.Greeting.Text);\n");
        Write("src/Shop.Lib/Shop.Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        Write("src/Shop.Lib/Greeting.cs", "namespace Shop.Lib; public static class Greeting { public const string Text = \"hi\"; }\n");
        Write("src/Tool/Tool.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Stevedore.Sdk" />
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><OutputType>Exe</OutputType><EnableStevedore>false</EnableStevedore></PropertyGroup>
            </Project>
            """);
        Write("src/Tool/Program.cs", "System.Console.WriteLine(\"tool\");\n");
        Write("tests/Api.Tests/Api.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><OutputType>Exe</OutputType><IsTestProject>true</IsTestProject></PropertyGroup>
              <ItemGroup><ProjectReference Include="../../src/Shop.Lib/Shop.Lib.csproj" /></ItemGroup>
            </Project>
            """);
        Write("tests/Api.Tests/Program.cs", "System.Console.WriteLine(Shop.Lib.Greeting.Text);\n");
        Write("Shop.slnx", """
            <Solution>
              <Folder Name="/src/">
                <Project Path="src/Api/Api.csproj" />
                <Project Path="src/Shop.Worker/Shop.Worker.csproj" />
                <Project Path="src/Shop.Lib/Shop.Lib.csproj" />
                <Project Path="src/Tool/Tool.csproj" />
              </Folder>
              <Folder Name="/tests/">
                <Project Path="tests/Api.Tests/Api.Tests.csproj" />
              </Folder>
            </Solution>
            """);
    }

    public string Root { get; }

    /// <summary>The solution's one bake definition.</summary>
    public string BakeFile => Path.Combine(Root, "obj", "stevedore", "Shop", "bake.json");

    public string Obj(string project) => Path.Combine(Root, "src", project, "obj", "Release", "net10.0", "stevedore");

    public void Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>`dotnet publish <paramref name="target"/>` (the solution by default) with a binlog in the folder.</summary>
    public CommandResult Publish(string target, params string[] properties) =>
        CommandRunner.Run(
            "dotnet",
            ["publish", target, "-tl:off", "-nodeReuse:false", "-v:n", "-bl:" + Path.Combine(Root, "publish.binlog"), .. properties.Select(p => "-p:" + p)],
            Root,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = PackedSdk.NuGetPackagesFolder },
            TimeSpan.FromMinutes(5));

    /// <summary>Deletes the folder; call only once the test passed, so a failure keeps it and its binlog.</summary>
    public void Delete() => Directory.Delete(Root, recursive: true);
}
