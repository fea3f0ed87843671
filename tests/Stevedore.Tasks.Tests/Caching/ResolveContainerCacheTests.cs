using Stevedore.Tasks.Caching;

namespace Stevedore.Tasks.Tests.Caching;

[TestClass]
public sealed class ResolveContainerCacheTests
{
    private readonly RecordingBuildEngine engine = new();
    private readonly List<string> probed = [];

    private ResolveContainerCache Task(string? refused = null, params string[] variables) => new()
    {
        BuildEngine = engine,
        Environment = name => variables.Select(v => v.Split('=', 2)).FirstOrDefault(p => p[0] == name)?[1],
        GitBranch = () => null,
        Probe = registry =>
        {
            probed.Add(registry);
            return registry == refused ? "Connection refused" : null;
        },
    };

    [TestMethod]
    public void ListsAndItemsBecomeNormalizedSpecs()
    {
        var task = Task();
        task.CacheFrom = ["type=local,src=/a;type=registry,ref=r.example.com/c:main", "", "type=local,src=/a"];
        task.CacheTo = ["mode=max,type=local,dest=/a"];
        Assert.IsTrue(task.Execute());
        CollectionAssert.AreEqual(new[] { "type=local,src=/a", "type=registry,ref=r.example.com/c:main" }, task.ResolvedCacheFrom);
        CollectionAssert.AreEqual(new[] { "type=local,dest=/a,mode=max" }, task.ResolvedCacheTo);
    }

    [TestMethod]
    public void TwoCacheDestinationsAreStv3007()
    {
        var task = Task();
        task.CacheTo = ["type=local,dest=/a", "type=inline"];
        Assert.IsFalse(task.Execute());
        Assert.AreEqual("STV3007", engine.Errors.Single().Code);
    }

    [TestMethod]
    public void CacheToBesideCacheRefIsStv3007()
    {
        var task = Task(null, "GITHUB_REF_NAME=main");
        task.CacheRef = "127.0.0.1:5000/c";
        task.CacheTo = ["type=inline"];
        Assert.IsFalse(task.Execute());
        Assert.AreEqual("STV3007", engine.Errors.Single().Code);
    }

    [TestMethod]
    [DataRow("127.0.0.1:5000/my-org", "api-cache", "127.0.0.1:5000/my-org/api-cache")]
    [DataRow("ghcr.io/my-org", "team/api-cache", "ghcr.io/my-org/team/api-cache")]
    [DataRow("ghcr.io/my-org", "registry.example.com/api-cache", "registry.example.com/api-cache")]
    [DataRow("127.0.0.1:5000", "api-cache", "127.0.0.1:5000/api-cache")]
    [DataRow("", "ghcr.io/other/api-cache", "ghcr.io/other/api-cache")]
    public void ACacheRefWithoutARegistryLivesInContainerRegistryUnderItsPath(string registry, string cacheRef, string expected)
    {
        var task = Task(null, "GITHUB_REF_NAME=feature");
        task.Registry = registry;
        task.CacheRef = cacheRef;
        Assert.IsTrue(task.Execute());
        CollectionAssert.AreEqual(new[] { $"type=registry,ref={expected}:feature", $"type=registry,ref={expected}:main" }, task.ResolvedCacheFrom);
        CollectionAssert.AreEqual(new[] { $"type=registry,ignore-error=true,mode=max,ref={expected}:feature" }, task.ResolvedCacheTo);
    }

    [TestMethod]
    public void BadSpecIsLoggedWithItsCode()
    {
        var task = Task();
        task.CacheFrom = ["type=nope"];
        Assert.IsFalse(task.Execute());
        Assert.AreEqual("STV3001", engine.Errors.Single().Code);
    }

    [TestMethod]
    public void CacheRefUsesTheCiBranch()
    {
        var task = Task(null, "GITHUB_REF_NAME=feature/x");
        task.CacheRef = "127.0.0.1:5000/shop/cache";
        Assert.IsTrue(task.Execute());
        var tag = CacheTag.FromBranch("feature/x");
        Assert.AreEqual("feature/x", task.CacheBranch);
        CollectionAssert.AreEqual(new[] { $"type=registry,ref=127.0.0.1:5000/shop/cache:{tag}", "type=registry,ref=127.0.0.1:5000/shop/cache:main" }, task.ResolvedCacheFrom);
        CollectionAssert.AreEqual(new[] { $"type=registry,ignore-error=true,mode=max,ref=127.0.0.1:5000/shop/cache:{tag}" }, task.ResolvedCacheTo);
        Assert.IsEmpty(probed, "an export whose errors are ignored needs no probe");
    }

    [TestMethod]
    public void BranchPropertyWinsOverTheCi()
    {
        var task = Task(null, "GITHUB_REF_NAME=feature/x");
        task.CacheRef = "127.0.0.1:5000/shop/cache";
        task.Branch = "main";
        Assert.IsTrue(task.Execute());
        CollectionAssert.AreEqual(new[] { "type=registry,ref=127.0.0.1:5000/shop/cache:main" }, task.ResolvedCacheFrom);
    }

    [TestMethod]
    public void NoBranchWarnsAndOnlyReads()
    {
        var task = Task();
        task.CacheRef = "127.0.0.1:5000/shop/cache";
        Assert.IsTrue(task.Execute());
        Assert.AreEqual("STV3011", engine.Warnings.Single().Code);
        Assert.IsEmpty(task.ResolvedCacheTo);
    }

    [TestMethod]
    public void UnreachableCacheRegistryStopsTheBuildBeforeItStarts()
    {
        var task = Task("127.0.0.1:1");
        task.CacheTo = ["type=registry,ref=127.0.0.1:1/c:main,mode=max"];
        Assert.IsFalse(task.Execute());
        var error = engine.Errors.Single();
        Assert.AreEqual("STV3008", error.Code);
        StringAssert.Contains(error.Message, "'127.0.0.1:1'");
        StringAssert.Contains(error.Message, "Connection refused");
    }

    [TestMethod]
    public void UnreachableIsFineWhenErrorsAreIgnoredOrNothingRuns()
    {
        var ignored = Task("127.0.0.1:1");
        ignored.CacheTo = ["type=registry,ref=127.0.0.1:1/c:main,ignore-error=true"];
        Assert.IsTrue(ignored.Execute());

        var dryRun = Task("127.0.0.1:1");
        dryRun.CacheTo = ["type=registry,ref=127.0.0.1:1/c:main"];
        dryRun.CheckReachable = false;
        Assert.IsTrue(dryRun.Execute());
        Assert.IsEmpty(probed);
    }
}
