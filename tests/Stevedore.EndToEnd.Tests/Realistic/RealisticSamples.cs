using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Realistic;

/// <summary>
/// The <see cref="PinnedSample"/> of samples/realistic-dotnet: `dotnet publish src/Orders.Api/Orders.Api.csproj`, ~100
/// packages restored offline from the sample's folder feed (eng/sample-feed.sh fills it before the copy).
/// </summary>
public sealed class RealisticDotNetSample : PinnedSample
{
    public const string Repository = "samples/realistic-dotnet";

    private static readonly Lazy<string> feed = new(() => Fill("realistic-dotnet"));

    public RealisticDotNetSample(string testName)
        : base(testName, feed.Value, "src/Orders.Api/Orders.Api.csproj", Repository, "dotnet/sdk:10.0", "dotnet/aspnet:10.0")
    {
    }

    /// <summary>Runs eng/sample-feed.sh for samples/&lt;name&gt; (cached by its inputs) and returns the sample's folder.</summary>
    internal static string Fill(string name)
    {
        var folder = Repo.Path("samples", name);
        CommandRunner.Run("bash", [Repo.Path("eng", "sample-feed.sh"), folder], timeout: TimeSpan.FromMinutes(15)).EnsureSuccess();
        return folder;
    }
}

/// <summary>
/// The <see cref="PinnedSample"/> of samples/realistic-go: `dotnet publish orders.goproj`, 32 modules vendored from
/// Debian's Go source packages (eng/go-vendor.sh, through eng/sample-feed.sh, fills vendor/ before the copy).
/// </summary>
public sealed class RealisticGoSample : PinnedSample
{
    public const string Repository = "samples/realistic-go";

    private static readonly Lazy<string> vendored = new(() => RealisticDotNetSample.Fill("realistic-go"));

    public RealisticGoSample(string testName)
        : base(testName, vendored.Value, "orders.goproj", Repository, "golang:1.24", "distroless/static:nonroot")
    {
    }
}
