using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.Sdk.Tests;

/// <summary>The build report is written for a build that fails too: that is when a CI needs to know which step broke.</summary>
[TestClass]
public sealed class FailedBuildReportTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void AFailedStepIsInTheReport()
    {
        var project = new SampleProject("failed-report", ReferenceMode.GlobalJson);
        project.Write("src/App/Fail.Dockerfile", "FROM 127.0.0.1:5000/dotnet/runtime-deps:10.0\nRUN echo stevedore-failing-step && exit 3\n");

        var result = project.Publish("ContainerDockerfile=Fail.Dockerfile", "ContainerPlatforms=linux/amd64", "ContainerBuildNetwork=host");

        Assert.AreNotEqual(0, result.ExitCode, result.Output);
        StringAssert.Contains(result.Output, "error STV2001");
        var report = Path.Combine(project.Obj, "stevedore", "stevedore-report.json");
        Assert.IsTrue(File.Exists(report), "no report for the failed build:\n" + result.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var steps = json.RootElement.GetProperty("platforms")[0].GetProperty("stepList").EnumerateArray().ToList();
        Assert.IsTrue(steps.Any(s => s.GetProperty("name").GetString()!.Contains("stevedore-failing-step", StringComparison.Ordinal) && s.TryGetProperty("error", out _)),
            "the failing step and its error are not in the report:\n" + File.ReadAllText(report));
        Assert.IsTrue(File.Exists(Path.Combine(project.Obj, "stevedore", "stevedore-report.prom")));
        project.Delete();
    }
}
