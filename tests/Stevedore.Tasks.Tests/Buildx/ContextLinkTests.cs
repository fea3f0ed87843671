using Stevedore.Tasks.Buildx;

namespace Stevedore.Tasks.Tests.Buildx;

/// <summary>Each build context reaches buildx under a name of its own: two checkouts named alike never share an upload.</summary>
[TestClass]
public sealed class ContextLinkTests
{
    [TestMethod]
    public void TwoContextsWithTheSameFolderNameGetTwoLinksAndOneContextKeepsItsLink()
    {
        using var tree = new TempTree();
        var a = tree.Folder("a/repo");
        var b = tree.Folder("b/repo");
        var links = tree.Folder("links");

        var linkA = ContextLink.For(a, links);
        var linkB = ContextLink.For(b, links);

        Assert.AreNotEqual(linkA, linkB);
        Assert.AreEqual(a, new FileInfo(linkA).LinkTarget);
        Assert.AreEqual(b, new FileInfo(linkB).LinkTarget);
        Assert.AreEqual(linkA, ContextLink.For(a + "/", links), "the same context, the same link");
        File.WriteAllText(Path.Combine(a, "file"), "a");
        Assert.AreEqual("a", File.ReadAllText(Path.Combine(linkA, "file")), "the link leads into the context");
    }

    [TestMethod]
    public void ALinkLeftPointingElsewhereIsReplaced()
    {
        using var tree = new TempTree();
        var context = tree.Folder("repo");
        var links = tree.Folder("links");
        var link = ContextLink.For(context, links);
        File.Delete(link);
        File.CreateSymbolicLink(link, tree.Folder("other"));

        Assert.AreEqual(link, ContextLink.For(context, links));
        Assert.AreEqual(context, new FileInfo(link).LinkTarget);
    }
}
