using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Corpus;

/// <summary>
/// A version computed from git by MinVer (a tag) or Nerdbank.GitVersioning (version.json and the commit height),
/// warnings as errors: the host computes it, the build stage (no .git) receives it, so the image's assemblies and its
/// version label carry it on both platforms; a new tag re-runs only the publish step, never the restore.
/// </summary>
[TestClass]
public sealed class GitVersionTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void TheTagsVersionReachesTheAssembliesAndTheLabelWithoutBustingRestore()
    {
        var repo = new CorpusRepo("git-version", "git-version", "src/App/App.csproj", "corpus/git-version");
        Tag(repo, "4.5.6");

        repo.Publish();

        var dockerfile = File.ReadAllText(repo.GeneratedFile("Dockerfile"));
        var restore = dockerfile.Split('\n').Single(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        Assert.DoesNotContain("4.5.6", restore, "the version must not reach the restore step: a new tag would re-run it");
        StringAssert.Contains(restore, "-p:MinVerSkip=true", "MinVer must not run without .git in the build stage");
        StringAssert.Contains(dockerfile, "-p:Version=4.5.6 ", "the publish gets the version the host computed");
        foreach (var platform in PinnedSample.Platforms)
        {
            var output = Run(repo.Image, platform);
            StringAssert.Contains(output, "assembly 4.0.0.0\n", $"{platform}: MinVer's assembly version");
            StringAssert.Contains(output, "file 4.5.6.0\n", $"{platform}: MinVer's file version");
            StringAssert.Contains(output, "informational 4.5.6\n", $"{platform}: MinVer's informational version");
        }

        var configs = CommandRunner.Docker("buildx", "imagetools", "inspect", repo.Image, "--format", "{{json .Image}}").EnsureSuccess().StdOut;
        Assert.AreEqual(2, configs.Split("\"org.opencontainers.image.version\": \"4.5.6\"").Length - 1, $"both platforms' version label:\n{configs}");

        // The next release: a new tag re-runs the publish, and only that.
        Tag(repo, "4.6.0");
        var next = BuildxProgress.Parse(repo.Publish().Output);
        next.AssertSteps("dotnet restore", cached: true, PinnedSample.Platforms);
        next.AssertSteps(BuildxProgress.PublishOnce, cached: false, PinnedSample.Platforms);
        StringAssert.Contains(Run(repo.Image, "linux/arm64"), "informational 4.6.0\n");

        repo.Delete();
    }

    [TestMethod]
    public void NerdbankGitVersioningsVersionReachesTheAssembliesOnBothPlatforms()
    {
        var repo = new CorpusRepo("nbgv-version", "nbgv-version", "src/App/App.csproj", "corpus/nbgv-version");
        // version.json committed once: the commit height is 1.
        Git(repo, "add", "samples/nbgv-version/version.json");
        Git(repo, "-c", "user.name=Stevedore", "-c", "user.email=tests@127.0.0.1", "commit", "-qm", "version 2.3");
        var commit = Git(repo, "rev-parse", "--short=10", "HEAD").Trim();

        repo.Publish();

        StringAssert.Contains(File.ReadAllText(repo.GeneratedFile("Dockerfile")), "-p:NBGV_GitEngine=Disabled");
        foreach (var platform in PinnedSample.Platforms)
        {
            var output = Run(repo.Image, platform);
            StringAssert.Contains(output, "assembly 2.3.0.0\n", $"{platform}: Nerdbank's assembly version");
            StringAssert.Contains(output, $"informational 2.3.1+{commit}\n", $"{platform}: Nerdbank's informational version, with the host's commit");
        }

        repo.Delete();
    }

    private static void Tag(CorpusRepo repo, string tag)
    {
        Git(repo, "-c", "user.name=Stevedore", "-c", "user.email=tests@127.0.0.1", "commit", "--allow-empty", "-qm", "release " + tag);
        Git(repo, "tag", tag);
    }

    private static string Git(CorpusRepo repo, params string[] arguments) => CommandRunner.Run("git", arguments, repo.Checkout).EnsureSuccess().StdOut;

    private static string Run(string image, string platform) =>
        RunningContainer.RunToEnd(image, platform, TimeSpan.FromMinutes(3)).ReplaceLineEndings("\n");
}
