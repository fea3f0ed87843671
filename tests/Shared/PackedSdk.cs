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

    private static string Pack()
    {
        // eng/pack.sh packs with a fresh version each time it runs, unless the packages are current.
        CommandRunner.Run("bash", [Repo.Path("eng", "pack.sh")], timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
        return File.ReadAllText(Path.Combine(Feed, "version.txt")).Trim();
    }
}
