using Stevedore.Tasks.Buildx;

namespace Stevedore.Tasks.Tests.Buildx;

[TestClass]
public sealed class BuildxFailureTests
{
    [TestMethod]
    public void UnauthorizedPushNamesTheRegistryAndTheImage()
    {
        var failure = BuildxFailure.Classify("ERROR: failed to solve: failed to push 127.0.0.1:32777/samples/dotnet-api:e2e-41a6: unexpected status from HEAD request to http://127.0.0.1:32777/v2/samples/dotnet-api/blobs/sha256:bf50: 401 Unauthorized");
        Assert.IsNotNull(failure);
        Assert.AreEqual("PushRefused", failure.ResourceName);
        CollectionAssert.AreEqual(new object[] { "127.0.0.1:32777", "127.0.0.1:32777/samples/dotnet-api:e2e-41a6", "401 Unauthorized" }, failure.Arguments);
    }

    [TestMethod]
    public void ForbiddenPushIsRefusedToo() =>
        Assert.AreEqual("PushRefused", BuildxFailure.Classify("#28 ERROR: failed to push registry.example.com/shop/api:1.0: unexpected status: 403 Forbidden")?.ResourceName);

    [TestMethod]
    [DataRow("ERROR: failed to receive status: rpc error: code = Unavailable desc = error reading from server: EOF", "rpc error: code = Unavailable desc = error reading from server: EOF")]
    [DataRow("ERROR: failed to solve: Unavailable: error reading from server: EOF", "failed to solve: Unavailable: error reading from server: EOF")]
    public void BrokenEngineConnectionIsTheEngineLost(string line, string named)
    {
        var failure = BuildxFailure.Classify(line);
        Assert.IsNotNull(failure);
        Assert.AreEqual("EngineLost", failure.ResourceName);
        CollectionAssert.AreEqual(new object[] { named }, failure.Arguments);
    }

    [TestMethod]
    [DataRow("#12 [linux/amd64 build 5/9] RUN dotnet restore")]
    [DataRow("ERROR: failed to solve: process \"/bin/sh -c dotnet publish\" did not complete successfully: exit code: 1")]
    [DataRow("ERROR: failed to push 127.0.0.1:5000/shop/api:1.0: connection refused")]
    public void OtherLinesAreNoKnownFailure(string line) => Assert.IsNull(BuildxFailure.Classify(line));
}
