using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>
/// samples/dotnet with ContainerRunTests=true: its tests (tests/Api.Tests, found through Sample.slnx) run in a test stage
/// on the build platform before the image; their TRX lands under the project's obj/; a failing test (in a copy) fails the
/// publish with STV1301 naming it, and no image is pushed.
/// </summary>
[TestClass]
public sealed class RunTestsTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void PassingTestsRunBeforeTheImageAndTheirTrxLandsOnTheHost()
    {
        var sample = new DotNetSample(nameof(PassingTestsRunBeforeTheImageAndTheirTrxLandsOnTheHost));

        var publish = sample.Publish("ContainerRunTests=true");

        publish.EnsureSuccess();
        StringAssert.Contains(publish.Output, "ContainerRunTests runs samples/dotnet/tests/Api.Tests/Api.Tests.csproj");
        StringAssert.Contains(publish.Output, "Stevedore: tests passed in the container: 2 passed, 0 skipped");
        var generated = Generated(sample);
        var trx = File.ReadAllText(Path.Combine(generated, "test-results", "Api.Tests.trx"));
        StringAssert.Contains(trx, "testName=\"TheApiGreetsInWords\"");
        Assert.AreEqual(2, trx.Split("outcome=\"Passed\"").Length - 1, "both tests passed:\n" + trx);
        Assert.AreEqual("0", File.ReadAllText(Path.Combine(generated, "test-results", "exit")).Trim());
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(generated, "stevedore-report.json")));
        var tests = report.RootElement.GetProperty("tests");
        Assert.AreEqual(2, tests.GetProperty("passed").GetInt32());
        Assert.AreEqual(0, tests.GetProperty("failed").GetInt32());

        // The image was built and pushed for both platforms, and the test stage ran once, on the build platform.
        var index = CommandRunner.Docker("buildx", "imagetools", "inspect", sample.Image).EnsureSuccess();
        StringAssert.Contains(index.StdOut, "linux/amd64");
        StringAssert.Contains(index.StdOut, "linux/arm64");
        var progress = File.ReadAllText(Path.Combine(generated, "progress.rawjson"));
        Assert.DoesNotContain("linux/arm64 test ", progress, "the tests run on the build platform only");
    }

    [TestMethod]
    public void AFailingTestFailsThePublishWithItsNameAndNoImage()
    {
        var sample = new DotNetSample(nameof(AFailingTestFailsThePublishWithItsNameAndNoImage));
        sample.Edit("tests/Api.Tests/GreetingTests.cs", code => code.Replace("\"Dotnet api ships one platform\"", "\"Dotnet api ships 1 platform\"", StringComparison.Ordinal));

        var failed = Assert.ThrowsExactly<InvalidOperationException>(() => sample.Publish("ContainerRunTests=true"));

        StringAssert.Contains(failed.Message, "error STV1301: 1 of 2 tests failed in the container (ContainerRunTests), so no image was built or pushed: Api.Tests.GreetingTests.OnePlatformIsSingular;");
        Assert.DoesNotContain("   at ", failed.Message, "no stack trace");
        Assert.DoesNotContain("StevedoreBuild:", failed.Message, "the image's build never started");
        var generated = Generated(sample);
        var trx = File.ReadAllText(Path.Combine(generated, "test-results", "Api.Tests.trx"));
        StringAssert.Contains(trx, "outcome=\"Failed\"");
        Assert.AreNotEqual("0", File.ReadAllText(Path.Combine(generated, "test-results", "exit")).Trim());
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(generated, "stevedore-report.json")));
        Assert.AreEqual(1, report.RootElement.GetProperty("tests").GetProperty("failed").GetInt32(), "the report of the failed publish counts the failure");
        Assert.AreNotEqual(0, CommandRunner.Docker("buildx", "imagetools", "inspect", sample.Image).ExitCode, "no image was pushed");
    }

    private static string Generated(DotNetSample sample) =>
        Directory.EnumerateDirectories(Path.Combine(sample.Folder, "src", "Api", "obj"), "stevedore", SearchOption.AllDirectories).Single();
}
