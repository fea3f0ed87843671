using System.Text.Json.Nodes;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>
/// A private copy of samples/dotnet, laid out like the repository (samples/dotnet beside artifacts/packages, so the
/// sample's nuget.config finds the Stevedore feed), pinned to the packed Stevedore.Sdk and pushed under its own tag.
/// The copy is the build context: logs, binlogs and exported caches stay beside it, in <see cref="Root"/>.
/// </summary>
public sealed class DotNetSample
{
    public const string Repository = "samples/dotnet-api";
    public static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];

    // Build containers cannot reach NuGet: the sample's local folder feed must be filled before it is copied.
    private static readonly Lazy<string> feed = new(() =>
    {
        CommandRunner.Run("bash", [Repo.Path("eng", "sample-feed.sh")], timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
        return Repo.Path("samples", "dotnet");
    });

    private int publishes;

    public DotNetSample(string testName)
    {
        Root = Repo.NewTempFolder(testName);
        Checkout = Path.Combine(Root, "repo");
        Folder = Path.Combine(Checkout, "samples", "dotnet");
        Copy(feed.Value, Folder);
        PinStevedoreSdk();
        Tag = BuildCache.NewTag();
    }

    /// <summary>The test's temp folder: the copy, publish logs and binlogs; a place for exported caches.</summary>
    public string Root { get; }

    /// <summary>The copy's stand-in for the repository root: samples/dotnet and artifacts/packages.</summary>
    public string Checkout { get; }

    /// <summary>The copy of samples/dotnet.</summary>
    public string Folder { get; }

    public string Tag { get; }

    public string Image => $"{Repo.Registry}/{Repository}:{Tag}";

    /// <summary>What every dotnet command on the copy needs: the packages folder that holds the packed SDK.</summary>
    public static IDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackedSdk.NuGetPackagesFolder };

    /// <summary>
    /// `dotnet publish src/Api` with the engine's settings (stand-in base images, local registry, host network,
    /// both platforms, this sample's tag) plus <paramref name="properties"/> ("Name=value"); keeps a binlog in <see cref="Root"/>.
    /// </summary>
    public CommandResult Publish(params string[] properties)
    {
        var arguments = PublishArguments(properties);
        var result = CommandRunner.Run(
            "dotnet",
            arguments,
            Folder,
            new Dictionary<string, string?>(Environment!),
            TimeSpan.FromMinutes(20));
        File.WriteAllText(Path.Combine(Root, $"publish-{publishes}.log"), result.Output);
        return result.EnsureSuccess();
    }

    /// <summary>The arguments of `dotnet` for <see cref="Publish"/> (later properties win), for tests that start and stop it themselves; counts as a publish.</summary>
    public IReadOnlyList<string> PublishArguments(params string[] properties)
    {
        RegistryImage.RequireStandIn("dotnet/sdk:10.0");
        RegistryImage.RequireStandIn("dotnet/aspnet:10.0");
        publishes++;
        string[] engine =
        [
            $"ContainerBaseImageRegistry={Repo.Registry}",
            $"ContainerRegistry={Repo.Registry}",
            "ContainerBuildNetwork=host",
            $"ContainerPlatforms={string.Join(',', Platforms)}",
            $"ContainerImageTags={Tag}",
        ];
        var arguments = new List<string> { "publish", "src/Api/Api.csproj", "-tl:off", "-v:n", $"-bl:{Path.Combine(Root, $"publish-{publishes}.binlog")}" };
        // Quoted, so the commas of platform lists and cache specs stay inside one property.
        arguments.AddRange(engine.Concat(properties).Select(p => p.Split('=', 2) is [var name, var value] ? $"-p:{name}=\"{value}\"" : throw new ArgumentException(p)));
        return arguments;
    }

    /// <summary>Rewrites one file of the copy, e.g. "src/Greetings/Greeter.cs".</summary>
    public void Edit(string relativePath, Func<string, string> change)
    {
        var path = Path.Combine(Folder, relativePath);
        var before = File.ReadAllText(path);
        var after = change(before);
        if (after == before)
        {
            throw new ArgumentException($"The edit left {relativePath} unchanged.");
        }

        File.WriteAllText(path, after);
    }

    private void PinStevedoreSdk()
    {
        var packages = Path.Combine(Checkout, "artifacts", "packages");
        Directory.CreateDirectory(packages);
        var nupkg = $"Stevedore.Sdk.{PackedSdk.Version}.nupkg";
        var packed = Directory.EnumerateFiles(PackedSdk.Feed).FirstOrDefault(f => Path.GetFileName(f).Equals(nupkg, StringComparison.OrdinalIgnoreCase))
            ?? throw new FileNotFoundException($"{nupkg} is not in {PackedSdk.Feed}");
        File.Copy(packed, Path.Combine(packages, Path.GetFileName(packed)));

        var globalJson = Path.Combine(Folder, "global.json");
        var json = JsonNode.Parse(File.ReadAllText(globalJson))!;
        json["msbuild-sdks"]!["Stevedore.Sdk"] = PackedSdk.Version;
        File.WriteAllText(globalJson, json.ToJsonString(new() { WriteIndented = true }));
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        // Host build output of the checked-out sample is no part of it.
        foreach (var folder in Directory.EnumerateDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
        {
            Copy(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
