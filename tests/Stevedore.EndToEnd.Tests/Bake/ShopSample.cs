using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Bake;

/// <summary>
/// samples/dotnet made a solution of two services: its Api and a Worker (a console app) that shares the Greetings
/// library, listed with the library in Shop.slnx. Published as a solution with the engine's settings.
/// </summary>
internal sealed class ShopSample
{
    public const string WorkerRepository = "samples/dotnet-worker";

    public ShopSample(string testName)
    {
        Api = new DotNetSample(testName);
        Write("src/Worker/Worker.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Stevedore.Sdk" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <ContainerRepository>{WorkerRepository}</ContainerRepository>
              </PropertyGroup>
              <ItemGroup><ProjectReference Include="../Greetings/Greetings.csproj" /></ItemGroup>
            </Project>
            """);
        Write("src/Worker/Program.cs", "System.Console.WriteLine(Greetings.Greeter.Greet(\"dotnet worker\", 2) + \" on \" + System.Runtime.InteropServices.RuntimeInformation.OSArchitecture);\n");
        Write("Shop.slnx", """
            <Solution>
              <Project Path="src/Api/Api.csproj" />
              <Project Path="src/Worker/Worker.csproj" />
              <Project Path="src/Greetings/Greetings.csproj" />
            </Solution>
            """);
    }

    /// <summary>The copy of samples/dotnet: its folder, tag and the Api's image.</summary>
    public DotNetSample Api { get; }

    public string WorkerImage => $"{Repo.Registry}/{WorkerRepository}:{Api.Tag}";

    public string BakeFolder => Path.Combine(Api.Folder, "obj", "stevedore", "Shop");

    public void Write(string relative, string content)
    {
        var path = Path.Combine(Api.Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>`dotnet publish Shop.slnx` on the engine; the log and binlog go to the sample's temp folder.</summary>
    public CommandResult Publish(string name, params string[] properties)
    {
        var arguments = EnginePublish.Arguments("Shop.slnx", Path.Combine(Api.Root, name + ".binlog"), Api.Tag, properties);
        var result = CommandRunner.Run("dotnet", arguments, Api.Folder, new Dictionary<string, string?>(EnginePublish.Environment!), TimeSpan.FromMinutes(20));
        File.WriteAllText(Path.Combine(Api.Root, name + ".log"), result.Output);
        return result;
    }

    /// <summary>Runs the worker's image for <paramref name="platform"/> and returns what it printed.</summary>
    public string RunWorker(string platform) =>
        RunningContainer.RunToEnd(WorkerImage, platform, TimeSpan.FromMinutes(3)).Trim();
}
