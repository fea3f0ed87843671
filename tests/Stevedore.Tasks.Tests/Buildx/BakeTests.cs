using System.Text.Json.Nodes;
using Stevedore.Tasks.Buildx;
using Stevedore.Tasks.Buildx.Bake;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;
using Stevedore.Tasks.Platforms;
using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Tests.Buildx;

/// <summary>A solution's bake: targets from the build command, one definition, the progress split per target; push by digest and the index.</summary>
[TestClass]
public sealed class BakeTests
{
    private static BuildxCommand Command(string project, bool byDigest = false, string? network = "host") => new()
    {
        Platforms = ContainerPlatform.ParseList("linux/amd64;linux/arm64"),
        DockerfilePath = $"/src/{project}/obj/stevedore/Dockerfile",
        ContextPath = "/src",
        Tags = [$"127.0.0.1:5000/shop/{project.ToLowerInvariant()}:1.0"],
        Push = true,
        CacheTo = ["type=registry,mode=max,ref=127.0.0.1:5000/cache"],
        Secrets = ["id=nuget,src=/tmp/nuget.config"],
        Network = network,
        PushByDigest = byDigest,
        Repository = byDigest ? $"127.0.0.1:5000/shop/{project.ToLowerInvariant()}" : null,
    };

    [TestMethod]
    public void TargetCarriesWhatTheSingleBuildPasses()
    {
        var target = BakeTarget.From("Api", Command("Api")).Target;

        Assert.AreEqual("/src", (string?)target["context"]);
        Assert.AreEqual("/src/Api/obj/stevedore/Dockerfile", (string?)target["dockerfile"]);
        CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/arm64" }, Strings(target["platforms"]));
        CollectionAssert.AreEqual(new[] { "127.0.0.1:5000/shop/api:1.0" }, Strings(target["tags"]));
        CollectionAssert.AreEqual(new[] { "type=registry" }, Strings(target["output"]));
        CollectionAssert.AreEqual(new[] { "type=registry,mode=max,ref=127.0.0.1:5000/cache" }, Strings(target["cache-to"]));
        CollectionAssert.AreEqual(new[] { "id=nuget,src=/tmp/nuget.config" }, Strings(target["secret"]));
        CollectionAssert.AreEqual(new[] { "type=provenance,disabled=true" }, Strings(target["attest"]));
    }

    [TestMethod]
    public void PushByDigestHasNoTagsAndNamesTheRepository()
    {
        var command = Command("Api", byDigest: true);
        var target = BakeTarget.From("Api", command).Target;

        Assert.IsNull(target["tags"]);
        CollectionAssert.AreEqual(new[] { "type=image,name=127.0.0.1:5000/shop/api,push-by-digest=true,name-canonical=true,push=true" }, Strings(target["output"]));
        CollectionAssert.DoesNotContain(command.Arguments().ToList(), "--tag");
        CollectionAssert.Contains(command.Arguments().ToList(), "type=image,name=127.0.0.1:5000/shop/api,push-by-digest=true,name-canonical=true,push=true");
    }

    [TestMethod]
    public void DefinitionNamesEveryProjectInTheDefaultGroupAndTheNetworkInAComposeOverlay()
    {
        var definition = BakeDefinition.Create([BakeTarget.From("Shop.Worker", Command("Worker")), BakeTarget.From("Api", Command("Api", network: null))]);

        var json = JsonNode.Parse(definition.ToJson())!;
        CollectionAssert.AreEqual(new[] { "Api", "Shop-Worker" }, Strings(json["group"]!["default"]!["targets"]));
        CollectionAssert.AreEqual(new[] { "Api", "Shop-Worker" }, json["target"]!.AsObject().Select(t => t.Key).ToArray());
        var overlay = JsonNode.Parse(definition.NetworkOverlay()!)!;
        Assert.AreEqual("host", (string?)overlay["services"]!["Shop-Worker"]!["build"]!["network"]);
        Assert.IsNull(overlay["services"]!["Api"], "the Api sets no network");
        Assert.AreEqual(definition.ToJson(), BakeDefinition.Create([BakeTarget.From("Api", Command("Api", network: null)), BakeTarget.From("Shop.Worker", Command("Worker"))]).ToJson(), "deterministic");
    }

    [TestMethod]
    public void ProjectsOnDifferentBuildersAreCodedError()
    {
        var e = Assert.ThrowsExactly<DiagnosticException>(() => BakeDefinition.Create(
            [BakeTarget.From("Api", Command("Api") with { Builder = "a" }), BakeTarget.From("Worker", Command("Worker") with { Builder = "b" })]));
        Assert.AreEqual("BakeBuildersDiffer", e.ResourceName);
    }

    [TestMethod]
    public void FragmentRoundTrips()
    {
        var target = BakeTarget.From("Api", Command("Api", byDigest: true), "/d/Api.linux-amd64.digest");
        var back = BakeTarget.FromJson(target.ToJson());
        Assert.AreEqual(target.ToJson().ToJsonString(), back.ToJson().ToJsonString());
        Assert.AreEqual("127.0.0.1:5000/shop/api", back.Repository);
    }

    [TestMethod]
    public void ProgressIsSplitPerTargetWithThePrefixTakenOff()
    {
        // Captured from buildx 0.13.1 bake: a step both targets share (one digest) is named once per target.
        string[] lines =
        [
            """{"vertexes":[{"digest":"sha256:bake","name":"[internal] load local bake definitions"}]}""",
            """{"vertexes":[{"digest":"sha256:from","name":"[a linux/amd64 build 1/3] FROM img","started":"2026-01-01T00:00:00Z","completed":"2026-01-01T00:00:01Z","cached":true}]}""",
            """{"vertexes":[{"digest":"sha256:from","name":"[b linux/amd64 build 1/3] FROM img","started":"2026-01-01T00:00:00Z","completed":"2026-01-01T00:00:01Z","cached":true}]}""",
            """{"vertexes":[{"digest":"sha256:b3","name":"[b linux/amd64 build 3/3] RUN echo b","started":"2026-01-01T00:00:01Z","completed":"2026-01-01T00:00:02Z","error":"exit code: 1"}]}""",
            """{"vertexes":[{"digest":"sha256:aexp","name":"[a] exporting to image","started":"2026-01-01T00:00:02Z","completed":"2026-01-01T00:00:03Z"}]}""",
            "ERROR: target b: failed to solve: exit code: 1",
        ];
        var progress = new BakeProgress(["a", "b"]);
        var logged = lines.SelectMany(progress.Add).ToList();

        CollectionAssert.AreEqual(new[] { "[linux/amd64 build 1/3] FROM img", "exporting to image" }, progress.For("a").Vertices.Select(v => v.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "[linux/amd64 build 1/3] FROM img", "[linux/amd64 build 3/3] RUN echo b" }, progress.For("b").Vertices.Select(v => v.Name).ToArray());
        Assert.AreEqual("exit code: 1", progress.For("b").Vertices.Last().Error);
        CollectionAssert.Contains(logged, "a: #1 [linux/amd64 build 1/3] FROM img");
        CollectionAssert.Contains(logged, "b: #2 ERROR: exit code: 1");
        CollectionAssert.Contains(progress.Text, "ERROR: target b: failed to solve: exit code: 1");

        var report = BuildReport.Create(progress.For("a"), ["linux/amd64"], null, null, ["img:a"]);
        Assert.AreEqual(1, report.Platforms.Single().Steps, "a's report counts a's steps only");
    }

    [TestMethod]
    public void OneTargetHasNoPrefix()
    {
        var progress = new BakeProgress(["api"]);
        progress.Add("""{"vertexes":[{"digest":"sha256:x","name":"[linux/amd64 build 1/3] FROM img","cached":true}]}""");
        Assert.AreEqual("[linux/amd64 build 1/3] FROM img", progress.For("api").Vertices.Single().Name);
    }

    [TestMethod]
    public void CombinedMetricsHaveEachFamilyOnce()
    {
        var a = BuildReport.Create(BuildProgress.Read([]), ["linux/amd64"], null, null, ["img:a"]);
        var b = BuildReport.Create(BuildProgress.Read([]), ["linux/amd64"], null, null, ["img:b"]);
        var text = BuildReportWriter.ToOpenMetrics([a, b]);
        Assert.AreEqual(1, text.Split('\n').Count(l => l == "# TYPE stevedore_build_duration_seconds gauge"));
        StringAssert.Contains(text, "stevedore_build_duration_seconds{image=\"img:a\"} 0");
        StringAssert.Contains(text, "stevedore_build_duration_seconds{image=\"img:b\"} 0");
        Assert.IsTrue(text.EndsWith("# EOF\n", StringComparison.Ordinal));
    }

    [TestMethod]
    public void IndexIsMadeFromDigestsOfTheTagsRepository()
    {
        var digest = "sha256:" + new string('a', 64);
        var args = MergeImageDigests.Arguments(
            [ImageReference.Parse("127.0.0.1:5000/shop/api@" + digest, "t"), ImageReference.Parse("127.0.0.1:5000/shop/api@sha256:" + new string('b', 64), "t")],
            ["127.0.0.1:5000/shop/api:1.0", "127.0.0.1:5000/shop/api:latest"],
            "arm");
        Assert.AreEqual(
            $"buildx imagetools create --builder arm --tag 127.0.0.1:5000/shop/api:1.0 --tag 127.0.0.1:5000/shop/api:latest 127.0.0.1:5000/shop/api@{digest} 127.0.0.1:5000/shop/api@sha256:{new string('b', 64)}",
            string.Join(' ', args));

        var e = Assert.ThrowsExactly<DiagnosticException>(() => MergeImageDigests.Arguments(
            [ImageReference.Parse("127.0.0.1:5000/shop/worker@" + digest, "t")], ["127.0.0.1:5000/shop/api:1.0"], null));
        Assert.AreEqual("DigestFilesMismatch", e.ResourceName);
        Assert.AreEqual("DigestFilesMismatch", Assert.ThrowsExactly<DiagnosticException>(() => MergeImageDigests.Arguments([], ["127.0.0.1:5000/shop/api:1.0"], null)).ResourceName);
    }

    [TestMethod]
    public void DigestFileRoundTripsAndRejectsOtherContent()
    {
        var file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".digest");
        var digest = "sha256:" + new string('c', 64);
        PushedDigest.Write(file, "127.0.0.1:5000/shop/api", digest);
        Assert.AreEqual("127.0.0.1:5000/shop/api@" + digest, PushedDigest.Read(file).ToString());
        File.WriteAllText(file, "127.0.0.1:5000/shop/api:latest\n");
        Assert.AreEqual("DigestFileUnreadable", Assert.ThrowsExactly<DiagnosticException>(() => PushedDigest.Read(file)).ResourceName);
        File.Delete(file);
        Assert.AreEqual("DigestFileUnreadable", Assert.ThrowsExactly<DiagnosticException>(() => PushedDigest.Read(file)).ResourceName);
    }

    private static string?[] Strings(JsonNode? node) => node!.AsArray().Select(n => (string?)n).ToArray();
}

/// <summary>ContainerPlatformBuilders: platform=builder pairs.</summary>
[TestClass]
public sealed class PlatformBuildersTests
{
    [TestMethod]
    public void PairsBecomeOneLegPerPlatform() => CollectionAssert.AreEqual(
        new[] { ("linux/amd64", "default"), ("linux/arm64", "arm-node") },
        Stevedore.Tasks.Options.ResolvePlatformBuilders.Parse("linux/amd64=default+ linux/arm64 = arm-node").ToArray());

    [TestMethod]
    [DataRow("linux/amd64")]
    [DataRow("linux/amd64=")]
    [DataRow("linux/amd64=a;linux/amd64=b")]
    [DataRow("")]
    public void MalformedListIsCodedError(string value) => Assert.AreEqual(
        "PlatformBuilderInvalid",
        Assert.ThrowsExactly<DiagnosticException>(() => Stevedore.Tasks.Options.ResolvePlatformBuilders.Parse(value)).ResourceName);
}

/// <summary>A docker-driver builder of another engine is its docker context: buildx 0.13 takes it only as `docker --context`.</summary>
[TestClass]
public sealed class DockerContextBuilderTests
{
    [TestMethod]
    public void OtherEnginesContextGoesBeforeBuildx()
    {
        var command = new BuildxCommand
        {
            Platforms = ContainerPlatform.ParseList("linux/arm64"),
            DockerfilePath = "/d/Dockerfile",
            ContextPath = "/src",
            DockerContext = "arm-engine",
        };
        CollectionAssert.AreEqual(new[] { "--context", "arm-engine", "buildx", "build" }, command.Arguments().Take(4).ToArray());
        CollectionAssert.DoesNotContain(command.Arguments().ToList(), "--builder");
    }
}
