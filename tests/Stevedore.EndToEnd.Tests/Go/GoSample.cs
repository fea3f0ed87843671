using System.Text.Json.Nodes;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Go;

/// <summary>
/// A private copy of samples/go laid out like the repository (samples/go beside artifacts/packages, so the sample's
/// nuget.config finds the Stevedore feed), pinned to the packed Stevedore.Sdk and pushed under its own tag.
/// The copy is the build context: logs and binlogs stay beside it, in <see cref="Root"/>.
/// </summary>
public sealed class GoSample
{
    public const string Repository = "samples/go-api";
    public static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];

    private int publishes;

    public GoSample(string testName)
    {
        Root = Repo.NewTempFolder(testName);
        var checkout = Path.Combine(Root, "repo");
        Folder = Path.Combine(checkout, "samples", "go");
        Copy(Repo.Path("samples", "go"), Folder);

        var packages = Path.Combine(checkout, "artifacts", "packages");
        Directory.CreateDirectory(packages);
        var nupkg = $"Stevedore.Sdk.{PackedSdk.Version}.nupkg";
        File.Copy(Path.Combine(PackedSdk.Feed, nupkg), Path.Combine(packages, nupkg));
        var globalJson = Path.Combine(Folder, "global.json");
        var json = JsonNode.Parse(File.ReadAllText(globalJson))!;
        json["msbuild-sdks"]!["Stevedore.Sdk"] = PackedSdk.Version;
        File.WriteAllText(globalJson, json.ToJsonString(new() { WriteIndented = true }));
        Tag = BuildCache.NewTag();
    }

    /// <summary>The test's temp folder: the copy, publish logs and binlogs.</summary>
    public string Root { get; }

    /// <summary>The copy of samples/go.</summary>
    public string Folder { get; }

    public string Tag { get; }

    public string Image => $"{Repo.Registry}/{Repository}:{Tag}";

    /// <summary>
    /// `dotnet publish` of api.goproj with the engine's settings (stand-in images, local registry, host network,
    /// both platforms, this sample's tag); keeps the log and a binlog in <see cref="Root"/>.
    /// </summary>
    public CommandResult Publish()
    {
        RegistryImage.RequireStandIn("golang:1.24");
        RegistryImage.RequireStandIn("distroless/static:nonroot");
        publishes++;
        string[] properties =
        [
            $"ContainerBaseImageRegistry={Repo.Registry}",
            $"ContainerRegistry={Repo.Registry}",
            "ContainerBuildNetwork=host",
            $"ContainerPlatforms={string.Join(',', Platforms)}",
            $"ContainerImageTags={Tag}",
        ];
        // Quoted, so the comma of the platform list stays inside one property.
        var result = CommandRunner.Run(
            "dotnet",
            ["publish", "api.goproj", "-tl:off", "-v:n", $"-bl:{Path.Combine(Root, $"publish-{publishes}.binlog")}", .. properties.Select(p => p.Split('=', 2) is [var n, var v] ? $"-p:{n}=\"{v}\"" : p)],
            Folder,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = PackedSdk.NuGetPackagesFolder },
            TimeSpan.FromMinutes(20));
        File.WriteAllText(Path.Combine(Root, $"publish-{publishes}.log"), result.Output);
        return result.EnsureSuccess();
    }

    /// <summary>Rewrites one file of the copy, e.g. "greet/greet.go".</summary>
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

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        // Host output of the checked-out sample (obj/stevedore) is no part of it.
        foreach (var folder in Directory.EnumerateDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
        {
            Copy(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
