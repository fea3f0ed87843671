using System.Text.Json.Nodes;

namespace Stevedore.Testing;

/// <summary>The Stevedore packages packed from this checkout into artifacts/packages, once per test process.</summary>
public static class PackedSdk
{
    private static readonly Lazy<string> packed = new(Pack);

    /// <summary>The version the packages were packed with (artifacts/packages/version.txt, written by eng/pack.sh).</summary>
    public static string Version => packed.Value;

    /// <summary>The local folder feed that holds Stevedore.Sdk.*.nupkg.</summary>
    public static string Feed => Repo.Path("artifacts", "packages");

    /// <summary>
    /// A NuGet packages folder for projects that consume the packed SDK. Its own per version, so a
    /// re-pack under a new version is never shadowed by an old extraction.
    /// </summary>
    public static string NuGetPackagesFolder => Repo.Path("artifacts", "nuget-packages", Version);

    /// <summary>
    /// Writes what a project that consumes the packed SDK in isolation needs into <paramref name="folder"/>: a global.json
    /// (the .NET 10 SDK and, when <paramref name="pinInGlobalJson"/>, msbuild-sdks Stevedore.Sdk at <see cref="Version"/>)
    /// and a &lt;clear/&gt; nuget.config whose only feed is <see cref="Feed"/>.
    /// </summary>
    public static void WriteConsumerFiles(string folder, bool pinInGlobalJson = true)
    {
        var msbuildSdks = pinInGlobalJson ? $", \"msbuild-sdks\": {{ \"Stevedore.Sdk\": \"{Version}\" }}" : string.Empty;
        File.WriteAllText(Path.Combine(folder, "global.json"), $"{{ \"sdk\": {{ \"version\": \"10.0.100\", \"rollForward\": \"latestFeature\" }}{msbuildSdks} }}\n");
        WriteNuGetConfig(folder, "stevedore", Feed);
    }

    /// <summary>A nuget.config in <paramref name="folder"/> that clears every other source: <paramref name="feed"/> is its only one.</summary>
    public static void WriteNuGetConfig(string folder, string key, string feed) =>
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="{key}" value="{feed}" />
              </packageSources>
            </configuration>
            """);

    /// <summary>Copies the packed Stevedore.Sdk.&lt;<see cref="Version"/>&gt;.nupkg into <paramref name="folder"/> (created), a folder feed of its own.</summary>
    public static void CopySdkPackageTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var nupkg = $"Stevedore.Sdk.{Version}.nupkg";
        var package = Directory.EnumerateFiles(Feed).FirstOrDefault(f => Path.GetFileName(f).Equals(nupkg, StringComparison.OrdinalIgnoreCase))
            ?? throw new FileNotFoundException($"{nupkg} is not in {Feed}");
        File.Copy(package, Path.Combine(folder, Path.GetFileName(package)));
    }

    /// <summary>Sets msbuild-sdks Stevedore.Sdk of an existing global.json to <see cref="Version"/>.</summary>
    public static void PinInGlobalJson(string globalJson)
    {
        var json = JsonNode.Parse(File.ReadAllText(globalJson))!;
        json["msbuild-sdks"]!["Stevedore.Sdk"] = Version;
        File.WriteAllText(globalJson, json.ToJsonString(new() { WriteIndented = true }));
    }

    private static string Pack()
    {
        // eng/pack.sh packs with a fresh version each time it runs, unless the packages are current.
        CommandRunner.Run("bash", [Repo.Path("eng", "pack.sh")], timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
        return File.ReadAllText(Path.Combine(Feed, "version.txt")).Trim();
    }
}
