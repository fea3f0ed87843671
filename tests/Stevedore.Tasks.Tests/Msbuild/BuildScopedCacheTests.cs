using Stevedore.Tasks.Msbuild;

namespace Stevedore.Tasks.Tests.Msbuild;

[TestClass]
public sealed class BuildScopedCacheTests
{
    [TestMethod]
    public void ASecondAskForTheSameKeyInOneBuildGetsTheFirstAnswer()
    {
        var engine = new TaskObjectBuildEngine();
        var asked = 0;

        var first = BuildScopedCache.GetOrAdd(engine, "unix:///run/docker.sock|", () => new Answer(++asked));
        var second = BuildScopedCache.GetOrAdd(engine, "unix:///run/docker.sock|", () => new Answer(++asked));
        var other = BuildScopedCache.GetOrAdd(engine, "tcp://127.0.0.1:2376|", () => new Answer(++asked));

        Assert.AreSame(first, second);
        Assert.AreEqual(1, first.Number);
        Assert.AreEqual(2, other.Number, "another engine is asked itself");
    }

    [TestMethod]
    public void AHostThatKeepsNoTaskObjectsAsksEveryTime()
    {
        var engine = new RecordingBuildEngine();
        var asked = 0;

        BuildScopedCache.GetOrAdd(engine, "k", () => new Answer(++asked));
        BuildScopedCache.GetOrAdd(engine, "k", () => new Answer(++asked));

        Assert.AreEqual(2, asked);
    }

    [TestMethod]
    public void AFailedAskIsNotKept()
    {
        var engine = new TaskObjectBuildEngine();

        Assert.ThrowsExactly<InvalidOperationException>(() => BuildScopedCache.GetOrAdd<Answer>(engine, "k", () => throw new InvalidOperationException()));
        var answer = BuildScopedCache.GetOrAdd(engine, "k", () => new Answer(7));

        Assert.AreEqual(7, answer.Number);
    }

    private sealed record Answer(int Number);
}
