using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Go;

/// <summary>The <see cref="PinnedSample"/> of samples/go: `dotnet publish api.goproj`.</summary>
public sealed class GoSample : PinnedSample
{
    public const string Repository = "samples/go-api";

    public GoSample(string testName)
        : base(testName, Repo.Path("samples", "go"), "api.goproj", Repository, "golang:1.24", "distroless/static:nonroot")
    {
    }
}
