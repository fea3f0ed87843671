using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Tests.Images;

[TestClass]
public sealed class ContainerLabelLinesTests
{
    // docker/metadata-action's `labels` output, as a workflow hands it over (a trailing newline, a description with ';').
    private const string MetadataActionLabels = """
        org.opencontainers.image.title=shop
        org.opencontainers.image.description=Orders; payments = money
        org.opencontainers.image.url=https://github.com/acme/shop
        org.opencontainers.image.version=1.2.3

        """;

    [TestMethod]
    public void MetadataActionOutputBecomesOneLabelALine()
    {
        var labels = ContainerLabelLines.Parse(MetadataActionLabels);

        CollectionAssert.AreEqual(
            new[] { "org.opencontainers.image.title", "org.opencontainers.image.description", "org.opencontainers.image.url", "org.opencontainers.image.version" },
            labels.Select(l => l.Key).ToArray());
        Assert.AreEqual("Orders; payments = money", labels[1].Value, "a value keeps its own ';' and '='");
        Assert.AreEqual("https://github.com/acme/shop", labels[2].Value);
    }

    [TestMethod]
    public void OneLineIsSplitOnSemicolons()
    {
        var labels = ContainerLabelLines.Parse("team=orders;tier=backend;");

        CollectionAssert.AreEqual(new[] { "team=orders", "tier=backend" }, labels.Select(l => $"{l.Key}={l.Value}").ToArray());
    }

    [TestMethod]
    public void WindowsLineEndingsAndEmptyValuesAreKept()
    {
        var labels = ContainerLabelLines.Parse("a=1\r\nb=\r\n");

        CollectionAssert.AreEqual(new[] { "a=1", "b=" }, labels.Select(l => $"{l.Key}={l.Value}").ToArray());
    }

    [TestMethod]
    public void ALaterLineWithTheSameKeyWins()
    {
        var labels = ContainerLabelLines.Parse("a=1\nb=2\na=3");

        CollectionAssert.AreEqual(new[] { "b=2", "a=3" }, labels.Select(l => $"{l.Key}={l.Value}").ToArray());
    }

    [TestMethod]
    public void NothingGivesNoLabels()
    {
        Assert.IsEmpty(ContainerLabelLines.Parse(null));
        Assert.IsEmpty(ContainerLabelLines.Parse(" \n "));
    }

    [TestMethod]
    [DataRow("title=shop\nno equals sign", "no equals sign")]
    [DataRow("=value", "=value")]
    [DataRow("two words=value", "two words=value")]
    public void ALineThatIsNoLabelIsSTV1070(string text, string line)
    {
        var e = Assert.ThrowsExactly<DiagnosticException>(() => ContainerLabelLines.Parse(text));

        Assert.AreEqual("BadContainerLabelLine", e.ResourceName);
        StringAssert.StartsWith(e.Text, "STV1070: ");
        StringAssert.Contains(e.Text, $"'{line}'");
    }
}
