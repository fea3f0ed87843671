using Stevedore.Sdk.Tests.Go;

namespace Stevedore.Sdk.Tests.Dockerfiles;

/// <summary>Generation is deterministic: the same inputs give byte-identical files, and an unchanged file is not rewritten.</summary>
[TestClass]
public sealed class DeterminismTests
{
    private static readonly string[] GenerateOnly = ["ContainerBuild=false", "ContainerBaseImageRegistry=127.0.0.1:5000"];
    private static readonly DateTime Stamp = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Files = ["Dockerfile", "Dockerfile.dockerignore"];

    [TestMethod]
    public void DotnetPublishTwiceGivesTheSameFilesUntouched()
    {
        var project = new SampleProject("twice", ReferenceMode.GlobalJson);
        var folder = Path.Combine(project.Obj, "stevedore");

        project.Publish(GenerateOnly).EnsureSuccess();
        var first = Snapshot(folder);
        project.Publish(GenerateOnly).EnsureSuccess();

        AssertUnchanged(folder, first);
        project.Delete();
    }

    [TestMethod]
    public void GoPublishTwiceGivesTheSameFilesUntouched()
    {
        var project = new GoProject("twice");

        project.Run("publish", GenerateOnly).EnsureSuccess();
        var first = Snapshot(project.Stevedore);
        project.Run("publish", GenerateOnly).EnsureSuccess();

        AssertUnchanged(project.Stevedore, first);
        project.Delete();
    }

    // The files' bytes; their time is set far back, so any rewrite shows whatever the clock's resolution.
    private static Dictionary<string, byte[]> Snapshot(string folder) => Files.ToDictionary(f => f, f =>
    {
        var path = Path.Combine(folder, f);
        File.SetLastWriteTimeUtc(path, Stamp);
        return File.ReadAllBytes(path);
    });

    private static void AssertUnchanged(string folder, Dictionary<string, byte[]> first)
    {
        foreach (var (file, bytes) in first)
        {
            var path = Path.Combine(folder, file);
            CollectionAssert.AreEqual(bytes, File.ReadAllBytes(path), $"{file} differs between two publishes of the same inputs");
            Assert.AreEqual(Stamp, File.GetLastWriteTimeUtc(path), $"{file} was rewritten with the same content");
        }
    }
}
