using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Go;

/// <summary>
/// samples/go with ContainerRunTests=true: `go test ./...` of the main module runs on the build platform before the image,
/// its JSON lands under obj/; a failing test (in a copy) fails the publish with STV1301 naming it before the image's build starts.
/// </summary>
[TestClass]
public sealed class GoRunTestsTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void GoTestsGateTheImageAndAFailureNamesTheTest()
    {
        var sample = new GoSample(nameof(GoTestsGateTheImageAndAFailureNamesTheTest));

        var passed = sample.Publish("ContainerRunTests=true");

        StringAssert.Contains(passed.Output, "Stevedore: tests passed in the container: 1 passed, 0 skipped");
        var results = Path.Combine(sample.Folder, "obj", "stevedore", "test-results");
        StringAssert.Contains(File.ReadAllText(Path.Combine(results, "go-test.json")), "\"Test\":\"TestGreetingCapitalisesTheName\"");
        CommandRunner.Docker("buildx", "imagetools", "inspect", sample.Image).EnsureSuccess();

        sample.Edit("main_test.go", code => code.Replace("got != \"Hello, Stevedore\"", "got != \"Hello, stevedore\"", StringComparison.Ordinal));
        var failed = Assert.ThrowsExactly<InvalidOperationException>(() => sample.Publish("ContainerRunTests=true"));

        StringAssert.Contains(failed.Message, "error STV1301: 1 of 1 tests failed in the container (ContainerRunTests), so no image was built or pushed: example.com/api.TestGreetingCapitalisesTheName;");
        Assert.DoesNotContain("   at ", failed.Message, "no stack trace");
        Assert.DoesNotContain("StevedoreBuild:", failed.Message, "the image's build never started");
        Assert.AreNotEqual("0", File.ReadAllText(Path.Combine(results, "exit")).Trim());
    }
}
