using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>The <see cref="PinnedSample"/> of samples/dotnet: `dotnet publish src/Api/Api.csproj`.</summary>
public sealed class DotNetSample : PinnedSample
{
    public const string Repository = "samples/dotnet-api";

    // Build containers cannot reach NuGet: the sample's local folder feed must be filled before it is copied.
    private static readonly Lazy<string> feed = new(() =>
    {
        CommandRunner.Run("bash", [Repo.Path("eng", "sample-feed.sh"), Repo.Path("samples", "dotnet")], timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
        return Repo.Path("samples", "dotnet");
    });

    public DotNetSample(string testName)
        : base(testName, feed.Value, "src/Api/Api.csproj", Repository, "dotnet/sdk:10.0", "dotnet/aspnet:10.0")
    {
    }
}
