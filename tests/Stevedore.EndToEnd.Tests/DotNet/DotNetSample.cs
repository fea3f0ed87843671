using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>The <see cref="PinnedSample"/> of samples/dotnet: `dotnet publish src/Api/Api.csproj`.</summary>
public sealed class DotNetSample : PinnedSample
{
    public const string Repository = "samples/dotnet-api";

    public DotNetSample(string testName)
        : this(testName, standalone: false)
    {
    }

    /// <param name="standalone">The copy is a git repository of its own (see <see cref="PinnedSample"/>).</param>
    public DotNetSample(string testName, bool standalone)
        : base(testName, Feed.Value, "src/Api/Api.csproj", Repository, standalone, "dotnet/sdk:10.0", "dotnet/aspnet:10.0")
    {
    }

    /// <summary>samples/dotnet once its local folder feed is filled: build containers cannot reach NuGet.</summary>
    public static Lazy<string> Feed { get; } = new(() => FilledSample("dotnet"));
}
