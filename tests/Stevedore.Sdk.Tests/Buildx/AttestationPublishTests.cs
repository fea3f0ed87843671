namespace Stevedore.Sdk.Tests.Buildx;

/// <summary>ContainerProvenance and ContainerSbom on the packed SDK: what they put on the buildx command line.</summary>
[TestClass]
public sealed class AttestationPublishTests
{
    [TestMethod]
    [DataRow(new string[0], "--provenance=false --platform")]
    [DataRow(new[] { "ContainerProvenance=mode=max" }, "--provenance=mode=max --platform")]
    [DataRow(new[] { "ContainerBuildProvenance=true" }, "--provenance=true --platform")]
    [DataRow(new[] { "ContainerProvenance=mode=min", "ContainerSbom=true" }, "--provenance=mode=min --sbom=true --platform")]
    public void AttestationOptionsReachTheBuildxCommand(string[] properties, string expected)
    {
        var project = new SampleProject("attest", ReferenceMode.GlobalJson);
        project.Publish(["ContainerBuild=false", "ContainerBuildReport=false", .. properties]).EnsureSuccess();

        var command = project.Generated("buildx-command.txt");
        StringAssert.Contains(command, " --progress=plain " + expected);
        Assert.AreEqual(1, command.Split(" --provenance=").Length - 1, command);
        project.Delete();
    }
}
