using Stevedore.Tasks.Buildx;
using Stevedore.Tasks.Plan;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Tests.Buildx;

/// <summary>ContainerPushByDigest after the build: the digest buildx pushed, or the docker driver's archive pushed by Stevedore, lands in the digest file.</summary>
[TestClass]
public sealed class PushImageByDigestTests
{
    private const string Built = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Pushed = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    [TestMethod]
    public void TheDigestBuildxPushedIsWrittenWithTheRepositoryAndNoTag()
    {
        using var tree = new TempTree();
        var metadata = tree.File("obj/metadata.json", $$"""{"containerimage.digest":"{{Built}}"}""");
        var (task, engine) = Task(tree, metadata, (_, _) => throw new AssertFailedException("no archive: nothing for Stevedore to push"));

        Assert.IsTrue(task.Execute(), string.Join('\n', engine.Errors.Select(e => e.Message)));
        Assert.AreEqual(Built, task.Digest);
        Assert.AreEqual($"127.0.0.1:5000/shop/api@{Built}\n", File.ReadAllText(task.DigestFile!));
        Assert.IsTrue(engine.Messages.Any(m => m.Message == $"Api -> 127.0.0.1:5000/shop/api@{Built}"), "the publish's output line");
    }

    [TestMethod]
    public void TheDockerDriversArchiveIsPushedThenRemoved()
    {
        using var tree = new TempTree();
        var metadata = tree.File("obj/metadata.json", $$"""{"containerimage.digest":"{{Built}}"}""");
        var archive = tree.File("obj/push-by-digest.oci.tar", "archive");
        var pushes = new List<(string Archive, string Repository)>();
        var (task, engine) = Task(tree, metadata, (file, repository) =>
        {
            pushes.Add((file, repository));
            return Pushed;
        });

        Assert.IsTrue(task.Execute(), string.Join('\n', engine.Errors.Select(e => e.Message)));
        CollectionAssert.AreEqual(new[] { (Path.GetFullPath(archive), "127.0.0.1:5000/shop/api") }, pushes);
        Assert.IsFalse(File.Exists(archive));
        Assert.AreEqual(Pushed, task.Digest, "the digest the registry got, not the build's");
        Assert.AreEqual($"127.0.0.1:5000/shop/api@{Pushed}\n", File.ReadAllText(task.DigestFile!));
    }

    [TestMethod]
    public void AnUnreadableMetadataFileIsCodedError()
    {
        using var tree = new TempTree();
        var metadata = tree.File("obj/metadata.json", "{ not json");
        var (task, engine) = Task(tree, metadata, (_, _) => Pushed);

        Assert.IsFalse(task.Execute());
        Assert.AreEqual("STV2003", engine.Errors.Single().Code);
        Assert.IsFalse(File.Exists(task.DigestFile!));
    }

    private static (PushImageByDigest Task, RecordingBuildEngine Engine) Task(TempTree tree, string metadata, Func<string, string, string> push)
    {
        var engine = new RecordingBuildEngine();
        return (new PushImageByDigest
        {
            BuildEngine = engine,
            Model = new BuildPlan
            {
                Project = "Api",
                Platforms = [ContainerPlatform.Parse("linux/amd64")],
                Dockerfile = Path.Combine(tree.Root, "obj/Dockerfile"),
                Context = tree.Root,
                Images = ["127.0.0.1:5000/shop/api:1.0", "127.0.0.1:5000/shop/api:latest"],
                Push = true,
                PushByDigest = true,
                DigestFile = Path.Combine(tree.Root, "digests", "Api.linux-amd64.digest"),
                Files = new PlanFiles { Metadata = metadata },
            },
            PushArchive = push,
        }, engine);
    }
}
