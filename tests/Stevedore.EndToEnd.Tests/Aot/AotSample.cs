using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Aot;

/// <summary>The <see cref="PinnedSample"/> of samples/aot: `dotnet publish src/Api/Api.csproj` with PublishAot=true.</summary>
public sealed class AotSample : PinnedSample
{
    public const string Repository = "samples/aot-api";

    public AotSample(string testName)
        : base(testName, Feed.Value, "src/Api/Api.csproj", Repository, "dotnet/sdk:10.0-noble-aot", "dotnet/runtime-deps:10.0-noble-chiseled")
    {
    }

    /// <summary>
    /// samples/aot with its feed filled (eng/sample-feed.sh): the ILCompiler packs, the Native AOT runtime packs and, for
    /// the ReadyToRun variant of samples/dotnet, crossgen and the runtime packs of both platforms.
    /// </summary>
    public static Lazy<string> Feed { get; } = new(() => FilledSample("aot"));
}
