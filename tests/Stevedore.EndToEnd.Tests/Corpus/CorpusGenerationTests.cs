using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Corpus;

/// <summary>
/// Repository shapes no sample has (tests/corpus): a generation-only publish gives the reviewed Dockerfile
/// (tests/corpus/&lt;shape&gt;.Dockerfile: imports before restore, only the closure's sources after it), and that
/// Dockerfile's build stage restores and publishes in a container, offline, for the build platform.
/// STEVEDORE_UPDATE_GOLDEN=1 rewrites the reviewed files.
/// </summary>
[TestClass]
public sealed class CorpusGenerationTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    [DataRow("nested-props", "src/App/App.csproj")]
    [DataRow("imported-versions", "src/Api/Api.csproj")]
    [DataRow("central-packages-import", "src/Tool/Tool.csproj")]
    [DataRow("linked-sources", "src/App/App.csproj")]
    [DataRow("two-services", "services/Orders/Orders.csproj")]
    [DataRow("capitalised-nuget-config", "App/App.csproj")]
    [DataRow("locked-restore", "src/App/App.csproj")]
    [DataRow("multi-targeting-lib", "src/App/App.csproj")]
    [DataRow("publish-content", "src/App/App.csproj")]
    [DataRow("razor-app", "src/Web/Web.csproj")]
    [DataRow("native-assets", "src/App/App.csproj")]
    [DataRow("go-services", "services/api/api.goproj")]
    public void GeneratesTheReviewedDockerfileWhoseBuildStageRestoresAndPublishes(string shape, string project)
    {
        var repo = new CorpusRepo("corpus-" + shape, shape, project, "corpus/" + shape);

        repo.Publish("ContainerBuild=false", "ContainerPlatforms=linux/amd64", "ContainerImageTags=corpus");

        var dockerfile = repo.GeneratedFile("Dockerfile");
        AssertMatchesReviewed(Repo.Path("tests", "corpus", shape + ".Dockerfile"), File.ReadAllText(dockerfile));
        var build = CommandRunner.Docker(
            "buildx", "build", "--progress=plain", "--platform", "linux/amd64", "--network", "host", "--target", "build",
            "--output", "type=cacheonly", "--file", dockerfile, repo.Context);
        File.WriteAllText(Path.Combine(repo.Root, "build-stage.log"), build.Output);
        build.EnsureSuccess();
        repo.Delete();
    }

    private static void AssertMatchesReviewed(string reviewed, string actual)
    {
        if (Environment.GetEnvironmentVariable("STEVEDORE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(reviewed, actual);
            return;
        }

        Assert.IsTrue(File.Exists(reviewed), $"{reviewed} is missing; generated:\n{actual}");
        Assert.AreEqual(File.ReadAllText(reviewed), actual, $"{Path.GetFileName(reviewed)} differs (STEVEDORE_UPDATE_GOLDEN=1 accepts the new one)");
    }
}
