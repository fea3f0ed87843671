using Stevedore.EndToEnd.Tests.Caching;
using Stevedore.EndToEnd.Tests.Corpus;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Reproducibility;

/// <summary>
/// A service of a monorepo keeps its image digest when another service commits: ContainerSourceDateEpoch defaults to
/// the last commit that touched the service's inputs, not the repository's last commit.
/// </summary>
[TestClass]
public sealed class MonorepoDigestTests
{
    private const string Repository = "corpus/orders";

    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void ACommitInAnotherServiceKeepsTheImageDigest()
    {
        var repo = new CorpusRepo("monorepo-digest", "two-services", "services/Orders/Orders.csproj", Repository);
        File.WriteAllText(Path.Combine(repo.Checkout, ".gitignore"), "bin/\nobj/\n"); // as a user's repository: build output is never committed
        Repo.CommitAll(repo.Checkout, "2026-11-30T12:00:00Z");
        repo.Publish();
        var before = RegistryTags.Digest(Repository, repo.Tag) ?? throw new AssertFailedException($"{repo.Image} is not in the registry");
        AssertEpoch(repo, "1796040000");

        // A later commit that touches Billing only: before, it dated every service's image anew.
        repo.Edit("services/Billing/Program.cs", code => code.Replace("ServiceAnswers", "ServiceAnswersNow"));
        Repo.CommitAll(repo.Checkout, "2026-12-01T12:00:00Z");
        repo.Publish();
        AssertEpoch(repo, "1796040000");
        Assert.AreEqual(before, RegistryTags.Digest(Repository, repo.Tag), $"{repo.Image}: a commit in Billing changed Orders' image digest");

        repo.Delete();
    }

    private static void AssertEpoch(CorpusRepo repo, string epoch) =>
        StringAssert.Contains(File.ReadAllText(repo.GeneratedFile("buildx-command.txt")), "source-date-epoch=" + epoch, "the exporter's date should be the last commit touching Orders' inputs");
}
