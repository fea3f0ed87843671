using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Tests.Reporting;

/// <summary>A step BuildKit found in an imported cache but could not load ("not found") runs again: it is not CACHED.</summary>
[TestClass]
public sealed class BuildProgressRerunTests
{
    private const string Digest = "sha256:2408edefb83d640bb085d3613341d30705b1c259add0e441069591adc740039e";

    [TestMethod]
    public void ACacheLoadThatFailedAndRanAgainCountsAsRunNotCached()
    {
        var progress = new BuildProgress();
        var printed = new List<string>();
        foreach (var update in new[]
        {
            $$"""{"vertexes":[{"digest":"{{Digest}}","name":"[linux/amd64 final 2/4] WORKDIR /app"}]}""",
            $$"""{"vertexes":[{"digest":"{{Digest}}","name":"[linux/amd64 final 2/4] WORKDIR /app","cached":true,"started":"2026-11-30T22:10:22.103624672Z","completed":"2026-11-30T22:10:22.10367727Z","error":"not found"}]}""",
            $$"""{"vertexes":[{"digest":"{{Digest}}","name":"[linux/amd64 final 2/4] WORKDIR /app","started":"2026-11-30T22:10:22.146728528Z","error":"not found"}]}""",
            $$"""{"vertexes":[{"digest":"{{Digest}}","name":"[linux/amd64 final 2/4] WORKDIR /app","started":"2026-11-30T22:10:22.146728528Z","completed":"2026-11-30T22:10:22.237150341Z"}]}""",
        })
        {
            printed.AddRange(progress.Add(update));
        }

        var vertex = progress.Vertices.Single();
        Assert.IsFalse(vertex.Cached, "it ran again");
        Assert.IsNull(vertex.Error, "the run that counts succeeded");
        // The live lines were printed when the cache load failed; the report reads the vertex's last state.
        CollectionAssert.DoesNotContain(printed, "#1 CACHED", string.Join("\n", printed));
    }

    [TestMethod]
    public void AStepThatFailsKeepsItsError()
    {
        var progress = new BuildProgress();
        progress.Add($$"""{"vertexes":[{"digest":"{{Digest}}","name":"[build 5/6] RUN dotnet publish","started":"2026-11-30T22:10:22.1Z"}]}""");
        progress.Add($$"""{"vertexes":[{"digest":"{{Digest}}","name":"[build 5/6] RUN dotnet publish","started":"2026-11-30T22:10:22.1Z","completed":"2026-11-30T22:10:25.1Z","error":"exit code: 1"}]}""");

        Assert.AreEqual("exit code: 1", progress.Vertices.Single().Error);
    }
}
