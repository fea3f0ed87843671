using Stevedore.Tasks.Buildx;

namespace Stevedore.Tasks.Tests.Buildx;

[TestClass]
public sealed class TestResultsTests
{
    // As `dotnet test --logger trx` writes it (trimmed to what is read).
    private const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            <UnitTestResult testId="a" testName="Api.Tests.GreetingTests.SaysHello" outcome="Passed" />
            <UnitTestResult testId="b" testName="CountsPlatforms" outcome="Failed" />
            <UnitTestResult testId="c" testName="Api.Tests.GreetingTests.Later" outcome="NotExecuted" />
          </Results>
          <TestDefinitions>
            <UnitTest name="CountsPlatforms" id="b"><TestMethod className="Api.Tests.GreetingTests" name="CountsPlatforms" /></UnitTest>
          </TestDefinitions>
          <ResultSummary outcome="Failed"><Counters total="3" executed="2" passed="1" failed="1" /></ResultSummary>
        </TestRun>
        """;

    [TestMethod]
    public void TrxAndGoJsonAreCountedAndTheFailedTestsNamed()
    {
        using var tree = new TempTree();
        tree.File("Api.Tests.trx", Trx);
        tree.File("go-test.json", string.Join('\n',
            """{"Action":"run","Package":"example.com/api","Test":"TestGreet"}""",
            """{"Action":"pass","Package":"example.com/api","Test":"TestGreet","Elapsed":0}""",
            """{"Action":"fail","Package":"example.com/api/greet","Test":"TestWords","Elapsed":0}""",
            """{"Action":"fail","Package":"example.com/api/greet","Elapsed":0}"""));
        tree.File("exit", "1\n");

        var results = TestResults.Read(tree.Root);

        Assert.AreEqual(1, results.ExitCode);
        Assert.AreEqual(2, results.Passed);
        Assert.AreEqual(2, results.Failed);
        Assert.AreEqual(1, results.Skipped);
        CollectionAssert.AreEqual(new[] { "Api.Tests.GreetingTests.CountsPlatforms", "example.com/api/greet.TestWords" }, results.FailedTests.ToArray());
    }

    [TestMethod]
    public void AFailedTestIsSTV1301WithItsNameAndARunWithoutOneIsSTV1304()
    {
        using var tree = new TempTree();
        tree.File("Api.Tests.trx", Trx);
        tree.File("exit", "1");
        var failed = Run(tree.Root);
        StringAssert.StartsWith(failed, "STV1301");
        StringAssert.Contains(failed, "Api.Tests.GreetingTests.CountsPlatforms");

        using var crashed = new TempTree();
        crashed.File("exit", "1");
        StringAssert.StartsWith(Run(crashed.Root), "STV1304");

        using var missing = new TempTree();
        StringAssert.StartsWith(Run(missing.Root), "STV1304");
    }

    [TestMethod]
    public void MoreThanTenFailuresAreCut()
    {
        var results = new TestResults(1, 0, 12, 0, Enumerable.Range(1, 12).Select(i => "T" + i).ToList());
        Assert.AreEqual("T1, T2, T3, T4, T5, T6, T7, T8, T9, T10 and 2 more", results.FailedTestList());
    }

    private static string Run(string folder)
    {
        var engine = new RecordingBuildEngine();
        var task = new CheckTestResults { BuildEngine = engine, ResultsDirectory = folder };
        Assert.IsFalse(task.Execute());
        var error = engine.Errors.Single();
        return error.Code + ": " + error.Message;
    }
}
