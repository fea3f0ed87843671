using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Tests.Caching;

[TestClass]
public sealed class CiBranchTests
{
    private static CiBranch Find(string? git, string? defaultBranch, params string[] variables)
    {
        var env = variables.Select(v => v.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return CiBranch.Find(name => env.GetValueOrDefault(name), () => git, defaultBranch);
    }

    [TestMethod]
    [DataRow("GitHub push", "main", new[] { "GITHUB_REF_NAME=main" }, new[] { "" })]
    [DataRow("GitHub push to a branch", "feature/x", new[] { "GITHUB_REF_NAME=feature/x" }, new[] { "main" })]
    [DataRow("GitHub pull request", "feature/x", new[] { "GITHUB_HEAD_REF=feature/x", "GITHUB_REF_NAME=12/merge", "GITHUB_BASE_REF=release/1" }, new[] { "release/1", "main" })]
    [DataRow("GitLab branch", "feature/x", new[] { "CI_COMMIT_REF_NAME=feature/x", "CI_DEFAULT_BRANCH=main" }, new[] { "main" })]
    [DataRow("GitLab default branch from CI", "feature/x", new[] { "CI_COMMIT_REF_NAME=feature/x", "CI_DEFAULT_BRANCH=trunk" }, new[] { "trunk" })]
    [DataRow("GitLab merge request", "feature/x", new[] { "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=feature/x", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME=develop", "CI_COMMIT_REF_NAME=feature/x" }, new[] { "develop", "main" })]
    [DataRow("Azure branch", "feature/x", new[] { "BUILD_SOURCEBRANCH=refs/heads/feature/x", "BUILD_SOURCEBRANCHNAME=x" }, new[] { "main" })]
    [DataRow("Azure branch name only", "x", new[] { "BUILD_SOURCEBRANCHNAME=x" }, new[] { "main" })]
    [DataRow("Azure pull request", "feature/x", new[] { "SYSTEM_PULLREQUEST_SOURCEBRANCH=refs/heads/feature/x", "SYSTEM_PULLREQUEST_TARGETBRANCH=refs/heads/main", "BUILD_SOURCEBRANCH=refs/pull/7/merge" }, new[] { "main" })]
    public void BranchComesFromTheCi(string ci, string branch, string[] variables, string[] fallbacks)
    {
        var found = Find("from-git", null, variables);
        Assert.AreEqual(branch, found.Branch, ci);
        CollectionAssert.AreEqual(fallbacks.Where(f => f.Length > 0).ToArray(), found.Fallbacks.ToArray(), ci);
    }

    [TestMethod]
    public void GitIsTheLastResort() => Assert.AreEqual("topic", Find("topic", null).Branch);

    [TestMethod]
    public void DetachedHeadHasNoBranch()
    {
        var found = Find("HEAD", null);
        Assert.IsNull(found.Branch);
        CollectionAssert.AreEqual(new[] { "main" }, found.Fallbacks.ToArray());
    }

    [TestMethod]
    public void DefaultBranchPropertyWinsOverTheCi() =>
        CollectionAssert.AreEqual(new[] { "trunk" }, Find(null, "trunk", "CI_COMMIT_REF_NAME=x", "CI_DEFAULT_BRANCH=main").Fallbacks.ToArray());

    [TestMethod]
    [DataRow("main", "main")]
    [DataRow("release-1.2_x", "release-1.2_x")]
    public void ValidTagIsKept(string branch, string tag) => Assert.AreEqual(tag, CacheTag.FromBranch(branch));

    [TestMethod]
    [DataRow("feature/x", "feature-x-")]
    [DataRow("feature//x", "feature-x-")]
    [DataRow("-leading", "leading-")]
    [DataRow(".hidden", "hidden-")]
    [DataRow("ümlaut/ß", "mlaut-")]
    [DataRow("///", "_-")]
    public void InvalidCharactersBecomeADashAndAHash(string branch, string prefix)
    {
        var tag = CacheTag.FromBranch(branch);
        StringAssert.StartsWith(tag, prefix);
        StringAssert.Matches(tag, new System.Text.RegularExpressions.Regex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}-[0-9a-f]{8}$"));
    }

    [TestMethod]
    public void BranchesThatSanitiseAlikeGetDifferentTags()
    {
        string[] branches = ["feature/x", "feature-x", "feature//x", "feature_x", "Feature/x", "feature/x/"];
        var tags = branches.Select(CacheTag.FromBranch).ToList();
        Assert.HasCount(branches.Length, tags.Distinct().ToList(), string.Join(", ", tags));
    }

    [TestMethod]
    public void LongBranchFitsInATag()
    {
        var tag = CacheTag.FromBranch("feature/" + new string('a', 300));
        Assert.HasCount(128, tag.ToCharArray());
        Assert.AreNotEqual(tag, CacheTag.FromBranch("feature/" + new string('a', 301)));
    }

    [TestMethod]
    public void BranchCacheWritesTheBranchAndReadsItThenTheFallbacks()
    {
        var (from, to) = BranchCache.Specs("127.0.0.1:5000/shop/api-cache", new CiBranch("feature/x", ["main"]));
        var tag = CacheTag.FromBranch("feature/x");
        Assert.AreEqual($"type=registry,ignore-error=true,mode=max,ref=127.0.0.1:5000/shop/api-cache:{tag}", to!.ToString());
        CollectionAssert.AreEqual(
            new[] { $"type=registry,ref=127.0.0.1:5000/shop/api-cache:{tag}", "type=registry,ref=127.0.0.1:5000/shop/api-cache:main" },
            from.Select(s => s.ToString()).ToArray());
    }

    [TestMethod]
    public void NoBranchReadsOnly()
    {
        var (from, to) = BranchCache.Specs("r.example.com/c", new CiBranch(null, ["main"]));
        Assert.IsNull(to);
        Assert.AreEqual("type=registry,ref=r.example.com/c:main", from.Single().ToString());
    }

    [TestMethod]
    [DataRow("r.example.com/c:main")]
    [DataRow("r.example.com/c@sha256:0123456789012345678901234567890123456789012345678901234567890123")]
    [DataRow("Not A Ref")]
    public void CacheRefWithTagIsStv3010(string cacheRef) =>
        StringAssert.StartsWith(Assert.ThrowsExactly<DiagnosticException>(() => BranchCache.Specs(cacheRef, new CiBranch("b", []))).Text, "STV3010: ");
}
