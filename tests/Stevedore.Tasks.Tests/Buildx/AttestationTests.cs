using Stevedore.Tasks.Platforms;
using Stevedore.Tasks.Plan;
using Stevedore.Tasks.Buildx;

namespace Stevedore.Tasks.Tests.Buildx;

/// <summary>ContainerProvenance and ContainerSbom: checked values and what they put on the buildx command line.</summary>
[TestClass]
public sealed class AttestationTests
{
    [TestMethod]
    [DataRow(null, "--provenance=false", "")]
    [DataRow("", "--provenance=false", "")]
    [DataRow("true", "--provenance=true", "")]
    [DataRow("False", "--provenance=false", "")]
    [DataRow("mode=min", "--provenance=mode=min", "")]
    [DataRow("mode=max", "--provenance=mode=max", " --sbom=true")]
    public void ProvenanceAndSbomReachTheCommandLine(string? provenance, string expected, string sbom)
    {
        using var tree = new TempTree();
        var task = DryRun(tree, provenance, sbom.Length > 0 ? "true" : null, out var engine);

        Assert.IsTrue(task.Execute(), string.Join('\n', engine.Errors.Select(e => e.Message)));
        StringAssert.Contains(task.CommandLine, $" --progress=plain {expected}{sbom} --platform ");
        Assert.AreEqual(1, task.CommandLine.Split(" --provenance").Length - 1, "exactly one --provenance: the value replaces the default");
    }

    [TestMethod]
    public void NoSbomByDefault()
    {
        using var tree = new TempTree();
        var task = DryRun(tree, null, "false", out _);

        Assert.IsTrue(task.Execute());
        Assert.DoesNotContain("--sbom", task.CommandLine);
    }

    [TestMethod]
    [DataRow("yes", null, "STV1105")]
    [DataRow("mode=full", null, "STV1105")]
    [DataRow("max", null, "STV1105")]
    [DataRow(null, "yes", "STV1106")]
    [DataRow(null, "mode=max", "STV1106")]
    public void OtherValuesAreCodedErrors(string? provenance, string? sbom, string code)
    {
        using var tree = new TempTree();
        var task = DryRun(tree, provenance, sbom, out var engine);

        Assert.IsFalse(task.Execute());
        var error = engine.Errors.Single();
        Assert.AreEqual(code, error.Code);
        StringAssert.Contains(error.Message, provenance ?? sbom!);
    }

    private static BuildContainerImage DryRun(TempTree tree, string? provenance, string? sbom, out RecordingBuildEngine engine)
    {
        engine = new RecordingBuildEngine();
        return new BuildContainerImage
        {
            BuildEngine = engine,
            Model = new BuildPlan
            {
                Project = "app",
                Platforms = [ContainerPlatform.Parse("linux/amd64")],
                Dockerfile = tree.File("Dockerfile", "FROM scratch\n"),
                Context = tree.Root,
                Provenance = provenance,
                Sbom = sbom,
            },
            DryRun = true,
        };
    }
}
