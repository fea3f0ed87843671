using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Aot;

/// <summary>
/// samples/dotnet published with PublishReadyToRun=true: its copy's packages/ also gets the AOT sample's feed, which
/// carries crossgen and the runtime packs that a ReadyToRun publish for each platform restores.
/// </summary>
public sealed class ReadyToRunSample : PinnedSample
{
    public ReadyToRunSample(string testName)
        : base(testName, DotNetSample.Feed.Value, "src/Api/Api.csproj", DotNetSample.Repository, "dotnet/sdk:10.0", "dotnet/aspnet:10.0")
    {
        foreach (var package in Directory.EnumerateFiles(Path.Combine(AotSample.Feed.Value, "packages"), "*.nupkg"))
        {
            var copy = Path.Combine(Folder, "packages", Path.GetFileName(package));
            if (!File.Exists(copy))
            {
                File.Copy(package, copy);
            }
        }
    }
}
