using System.Text.Json;
using Stevedore.EndToEnd.Tests.DotNet;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>A build that fails still leaves its report: CI needs it most when the build broke.</summary>
[TestClass]
public sealed class FailedBuildReportTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void ACompileErrorInTheContainerFailsThePublishAndTheReportNamesTheFailedStep()
    {
        var sample = new DotNetSample(nameof(ACompileErrorInTheContainerFailsThePublishAndTheReportNamesTheFailedStep));
        sample.Edit("src/Greetings/Greeter.cs", code => code + "\nthis is not C#\n");

        var failed = Assert.ThrowsExactly<InvalidOperationException>(() => sample.Publish());

        StringAssert.Contains(failed.Message, "error STV2001");
        var report = Path.Combine(sample.Folder, "src", "Api", "obj", "Release", "net10.0", "stevedore", "stevedore-report.json");
        Assert.IsTrue(File.Exists(report), "no report for the failed build:\n" + failed.Message);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var errors = json.RootElement.GetProperty("platforms").EnumerateArray()
            .SelectMany(p => p.GetProperty("stepList").EnumerateArray())
            .Where(s => s.TryGetProperty("error", out _))
            .Select(s => s.GetProperty("name").GetString())
            .ToList();
        Assert.IsTrue(errors.Any(n => n!.Contains(BuildxProgress.PublishOnce, StringComparison.Ordinal)), "the report names no failed publish step:\n" + File.ReadAllText(report));
        Assert.IsTrue(File.Exists(Path.ChangeExtension(report, ".prom")), "no metrics file");
    }
}
