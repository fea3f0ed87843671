using Stevedore.Tasks.Platforms;
using Stevedore.Tasks.Plan;
using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Tests.Reporting;

/// <summary>Each platform line of the report names that platform's own image, read from the index the build made.</summary>
[TestClass]
public sealed class PlatformDigestsTests
{
    private static readonly string Amd64 = "sha256:" + new string('1', 64);
    private static readonly string Arm64 = "sha256:" + new string('2', 64);
    private static readonly string Attestation = "sha256:" + new string('3', 64);
    private const string IndexDigest = "sha256:d06a3e471bd0a6dde4d87d5aa70f580a9e9e7f32566b5a2f981cf2cb91e12e9a";

    // The shape buildx pushes: two platform manifests and (with provenance) an attestation manifest per platform.
    private static string Index() => $$"""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.index.v1+json",
          "manifests": [
            { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{Amd64}}", "size": 1, "platform": { "architecture": "amd64", "os": "linux" } },
            { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{Arm64}}", "size": 1, "platform": { "architecture": "arm64", "os": "linux" } },
            { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "{{Attestation}}", "size": 1, "platform": { "architecture": "unknown", "os": "unknown" },
              "annotations": { "vnd.docker.reference.digest": "{{Amd64}}", "vnd.docker.reference.type": "attestation-manifest" } }
          ]
        }
        """;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Reporting", "Fixtures", name);

    [TestMethod]
    public void ThePlatformManifestsOfAnIndexNotItsAttestations()
    {
        var digests = PlatformDigests.FromIndex(Index());
        CollectionAssert.AreEquivalent(new Dictionary<string, string> { ["linux/amd64"] = Amd64, ["linux/arm64"] = Arm64 }, digests.ToDictionary());
        Assert.IsEmpty(PlatformDigests.FromIndex("""{"schemaVersion":2,"config":{}}"""), "a single manifest has no platforms to list");
        Assert.IsEmpty(PlatformDigests.FromIndex("not json"));
    }

    [TestMethod]
    public void EachPlatformLineNamesItsOwnImageAndTheIndex()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Fixture("cached-build.metadata.json")));
        var report = BuildReport.Create(
            BuildProgress.Read(File.ReadLines(Fixture("cached-build-cache-export-failed.rawjson"))),
            ["linux/amd64", "linux/arm64"], null, metadata.RootElement, ["127.0.0.1:5000/e2e/rawjson:x"], PlatformDigests.FromIndex(Index()));

        Assert.AreEqual(Amd64, report.Platforms[0].Digest);
        Assert.AreEqual(Arm64, report.Platforms[1].Digest);
        var lines = report.Summary().ToArray();
        StringAssert.EndsWith(lines[0], $", image {Amd64}, index {IndexDigest}");
        StringAssert.EndsWith(lines[1], $", image {Arm64}, index {IndexDigest}");
        using var json = JsonDocument.Parse(BuildReportWriter.ToJson(report));
        Assert.AreEqual(Arm64, json.RootElement.GetProperty("platforms")[1].GetProperty("digest").GetString());
    }

    [TestMethod]
    public void ThePushedIndexIsReadByDigestThroughTheDockerCli()
    {
        using var tree = new TempTree();
        var progress = Path.Combine(tree.Root, "progress.rawjson");
        File.Copy(Fixture("cached-build-cache-export-failed.rawjson"), progress);
        var asked = new List<string>();
        var engine = new RecordingBuildEngine();
        var task = new WriteBuildReport
        {
            BuildEngine = engine,
            Model = new BuildPlan
            {
                Project = "app",
                Platforms = [ContainerPlatform.Parse("linux/amd64"), ContainerPlatform.Parse("linux/arm64")],
                Dockerfile = "Dockerfile",
                Context = tree.Root,
                Images = ["127.0.0.1:5000/my-org/app:dev", "127.0.0.1:5000/my-org/app:latest"],
                Push = true,
                Files = new PlanFiles { Progress = progress, Metadata = Fixture("cached-build.metadata.json"), ReportDirectory = tree.Root },
            },
            ReadPushedIndex = image =>
            {
                asked.Add(image);
                return Index();
            },
        };
        Assert.IsTrue(task.Execute());
        CollectionAssert.AreEqual(new[] { "127.0.0.1:5000/my-org/app@" + IndexDigest }, asked);
        Assert.IsTrue(engine.Messages.Any(m => m.Message!.Contains("linux/arm64: ", StringComparison.Ordinal) && m.Message.Contains(", image " + Arm64, StringComparison.Ordinal)),
            string.Join("\n", engine.Messages.Select(m => m.Message)));
        var containers = task.GeneratedContainers;
        CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/arm64" }, containers.Select(c => c.ItemSpec).ToArray(), "one item per platform, as the SDK's GeneratedContainer");
        CollectionAssert.AreEqual(new[] { Amd64, Arm64 }, containers.Select(c => c.GetMetadata("ManifestDigest")).ToArray());
        CollectionAssert.AreEqual(new[] { "amd64", "arm64" }, containers.Select(c => c.GetMetadata("Architecture")).ToArray());
        Assert.IsTrue(containers.All(c => c.GetMetadata("ImageDigest") == IndexDigest));
    }

    [TestMethod]
    public void AnArchivesIndexIsReadFromTheTar()
    {
        using var tree = new TempTree();
        var archive = Path.Combine(tree.Root, "app.tar");
        var index = Encoding.UTF8.GetBytes(Index());
        const string Blob = "abababababababababababababababababababababababababababababababab";
        using (var stream = File.Create(archive))
        using (var writer = new TarWriter(stream))
        {
            Add(writer, "oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray());
            Add(writer, "index.json", Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:{{Blob}}","size":{{index.Length}}}]}"""));
            Add(writer, "blobs/sha256/" + Blob, index);
        }

        Assert.AreEqual(Index(), PlatformDigests.FromArchive(archive));
        Assert.IsNull(PlatformDigests.FromArchive(Path.Combine(tree.Root, "missing.tar")));
    }

    private static void Add(TarWriter writer, string name, byte[] content) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
}
