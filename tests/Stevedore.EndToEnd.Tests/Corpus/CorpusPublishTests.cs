using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Corpus;

/// <summary>
/// Repository shapes published for both platforms and started, and the cache behaviour a repository of several
/// services needs: only what the published service reads can re-run its build.
/// </summary>
[TestClass]
public sealed class CorpusPublishTests
{
    private const string Restore = "dotnet restore";
    private const string Publish = BuildxProgress.PublishOnce;

    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    [DataRow("imported-versions", "src/Api/Api.csproj", "corpus/imported-versions", "\"text\":\"Versions come from eng\"")]
    [DataRow("razor-app", "src/Web/Web.csproj", "corpus/razor-app", "<h1>Razor on ARCH</h1>")]
    [DataRow("go-services", "services/api/api.goproj", "corpus/go-api", "api answers from the shared module")]
    public void PublishedImagesAnswerOnBothPlatforms(string shape, string project, string repository, string expected)
    {
        var repo = new CorpusRepo("corpus-publish-" + shape, shape, project, repository);

        repo.Publish();

        foreach (var platform in PinnedSample.Platforms)
        {
            var answer = Ask(repo, platform);
            StringAssert.Contains(answer, expected.Replace("ARCH", platform == "linux/amd64" ? "X64" : "Arm64"), $"{shape} on {platform}");
        }

        repo.Delete();
    }

    [TestMethod]
    public void TwoServicesOnlyWhatTheServiceReadsRerunsItsBuild()
    {
        var repo = new CorpusRepo("corpus-two-services", "two-services", "services/Orders/Orders.csproj", "corpus/orders");
        repo.Publish();
        StringAssert.Contains(Ask(repo, "linux/arm64"), "\"text\":\"Orders service answers\"");

        // Another service, the test project, README and docs are no input of Orders: every step is CACHED.
        repo.Edit("services/Billing/Program.cs", code => code.Replace("ServiceAnswers", "ServiceAnswersNow"));
        repo.Edit("tests/Orders.Tests/OrdersTests.cs", code => code.Replace("== \"A\"", "== \"B\""));
        repo.Edit("README.md", text => text + "\nMore words.\n");
        repo.Edit("docs/index.md", text => text + "\nMore docs.\n");
        var untouched = BuildxProgress.Parse(repo.Publish().Output);
        // FROM lines are resolved, never reported CACHED; every step after them must be.
        var steps = untouched.Steps.Where(s => !s.Instruction.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.IsGreaterThan(10, steps.Count, $"the publish printed too few steps:\n{untouched}");
        Assert.IsTrue(steps.All(s => s.Cached), $"an edit outside Orders' closure re-ran a step:\n{untouched}");

        // The shared library is a source input: publish re-runs, restore does not.
        repo.Edit("libs/Common/Words.cs", code => code.Replace("pascal.Humanize()", "pascal.Humanize() + \"!\""));
        var library = BuildxProgress.Parse(repo.Publish().Output);
        library.AssertSteps(Restore, cached: true, PinnedSample.Platforms);
        library.AssertSteps(Publish, cached: false, PinnedSample.Platforms);
        StringAssert.Contains(Ask(repo, "linux/amd64"), "\"text\":\"Orders service answers!\"");

        // eng/Versions.props is imported by Directory.Build.props: a restore input.
        repo.Edit("eng/Versions.props", props => props.Replace("</PropertyGroup>", "  <UnusedVersion>1.0.0</UnusedVersion>\n  </PropertyGroup>"));
        var versions = BuildxProgress.Parse(repo.Publish().Output);
        versions.AssertSteps(Restore, cached: false, PinnedSample.Platforms);

        repo.Delete();
    }


    /// <summary>Runs the pushed image for <paramref name="platform"/> and returns its answer to GET /.</summary>
    private static string Ask(CorpusRepo repo, string platform)
    {
        var port = RunningApp.FreePort();
        string[] environment = repo.IsGo
            ? [$"PORT={port}"]
            : [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"];
        using var container = RunningContainer.Start(repo.Image, platform, environment);
        return container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3));
    }
}
