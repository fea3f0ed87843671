using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Tests.Platforms;

[TestClass]
public sealed class PlatformTests
{
    [TestMethod]
    [DataRow("linux/amd64,linux/arm64")]
    [DataRow("linux/amd64;linux/arm64")]
    [DataRow(" linux/amd64 ; linux/arm64 ;")]
    [DataRow("linux/amd64%3Blinux/arm64")]
    [DataRow("linux/amd64%2Clinux/arm64")]
    [DataRow("linux/amd64,linux/arm64,linux/amd64")]
    public void ParsesListsInEverySpelling(string value) =>
        Assert.AreEqual("linux/amd64,linux/arm64", string.Join(",", ContainerPlatform.ParseList(value)));

    [TestMethod]
    public void VariantIsKept() => Assert.AreEqual("linux/arm/v7", ContainerPlatform.Parse("linux/arm/v7").ToString());

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow(" ; ")]
    public void EmptyMeansTheHostLinuxPlatform(string? value)
    {
        var platforms = ContainerPlatform.ParseList(value);
        Assert.HasCount(1, platforms);
        Assert.AreEqual(ContainerPlatform.Host(), platforms[0]);
        Assert.AreEqual("linux", platforms[0].Os);
    }

    [TestMethod]
    [DataRow("windows/amd64")]
    [DataRow("linux/x64")]
    [DataRow("linux")]
    [DataRow("linux/arm64/v8/extra")]
    [DataRow("linux/arm/V7")]
    public void RejectsWithStv1001NamingTheValue(string value)
    {
        var e = Assert.ThrowsExactly<DiagnosticException>(() => ContainerPlatform.ParseList("linux/amd64," + value));
        StringAssert.StartsWith(e.Text, "STV1001: ");
        StringAssert.Contains(e.Text, "'" + value + "'");
    }
}
