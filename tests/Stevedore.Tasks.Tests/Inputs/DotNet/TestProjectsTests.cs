using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Inputs.DotNet;

namespace Stevedore.Tasks.Tests.Inputs.DotNet;

[TestClass]
public sealed class TestProjectsTests
{
    [TestMethod]
    public void TestProjectsThatReachTheClosureAreChosenAndOthersAreNot()
    {
        var graph = new[]
        {
            Project("/r/src/Api/Api.csproj", false, "/r/src/Lib/Lib.csproj"),
            Project("/r/src/Lib/Lib.csproj", false),
            Project("/r/src/Other/Other.csproj", false),
            Project("/r/tests/Api.Tests/Api.Tests.csproj", true, "/r/src/Api/Api.csproj"),
            Project("/r/tests/Lib.Tests/Lib.Tests.csproj", true, "/r/tests/Helpers/Helpers.csproj"),
            Project("/r/tests/Helpers/Helpers.csproj", false, "/r/src/Lib/Lib.csproj"),
            Project("/r/tests/Other.Tests/Other.Tests.csproj", true, "/r/src/Other/Other.csproj"),
            Project("/r/tools/Tool/Tool.csproj", false, "/r/src/Api/Api.csproj"),
        };

        var tests = TestProjectGraph.Referencing(graph, ["/r/src/Api/Api.csproj", "/r/src/Lib/Lib.csproj"]);

        CollectionAssert.AreEqual(new[] { "/r/tests/Api.Tests/Api.Tests.csproj", "/r/tests/Lib.Tests/Lib.Tests.csproj" }, tests.Select(t => t.FullPath).ToArray());
        CollectionAssert.AreEqual(
            new[] { "/r/src/Lib/Lib.csproj", "/r/tests/Helpers/Helpers.csproj", "/r/tests/Lib.Tests/Lib.Tests.csproj" },
            TestProjectGraph.Closure(graph, ["/r/tests/Lib.Tests/Lib.Tests.csproj"]).Select(p => p.FullPath).ToArray());
    }

    [TestMethod]
    public void TheNearestSolutionsAboveTheProjectListTheirProjects()
    {
        using var tree = new TempTree();
        tree.Folder(".git");
        tree.File("All.slnx", "<Solution><Folder Name=\"/tests/\"><Project Path=\"tests/A.Tests/A.Tests.csproj\" /></Folder><Project Path=\"src/Api/Api.csproj\" /><Project Path=\"gone/Gone.csproj\" /></Solution>");
        tree.File("src/Old.sln", "Microsoft Visual Studio Solution File, Format Version 12.00\n"
            + "Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"B.Tests\", \"..\\tests\\B.Tests\\B.Tests.csproj\", \"{11111111-1111-1111-1111-111111111111}\"\nEndProject\n"
            + "Project(\"{2150E333-8FDC-42A3-9474-1A3956D46DE8}\") = \"folder\", \"folder\", \"{22222222-2222-2222-2222-222222222222}\"\nEndProject\n");
        var api = tree.File("src/Api/Api.csproj");
        var a = tree.File("tests/A.Tests/A.Tests.csproj");
        var b = tree.File("tests/B.Tests/B.Tests.csproj");

        // The nearest folder with a solution wins.
        var nearest = SolutionProjects.SolutionsAbove(Path.GetDirectoryName(api)!);
        CollectionAssert.AreEqual(new[] { Path.Combine(tree.Root, "src", "Old.sln") }, nearest.ToArray());
        CollectionAssert.AreEqual(new[] { b }, SolutionProjects.In(nearest[0]).ToArray());

        File.Delete(nearest[0]);
        var root = SolutionProjects.SolutionsAbove(Path.GetDirectoryName(api)!);
        CollectionAssert.AreEqual(new[] { Path.Combine(tree.Root, "All.slnx") }, root.ToArray());
        CollectionAssert.AreEqual(new[] { a, api }, SolutionProjects.In(root[0]).ToArray());
    }

    [TestMethod]
    public void ACandidateThatDoesNotEvaluateIsSkippedAndTheOthersStillFindTheirTests()
    {
        var closures = new Dictionary<string, EvaluatedProject[]>
        {
            ["/r/tests/Api.Tests/Api.Tests.csproj"] = [Project("/r/tests/Api.Tests/Api.Tests.csproj", true, "/r/src/Api/Api.csproj"), Project("/r/src/Api/Api.csproj", false)],
            ["/r/tools/Tool/Tool.csproj"] = [Project("/r/tools/Tool/Tool.csproj", false)],
        };
        var read = new List<string>();
        IReadOnlyList<EvaluatedProject> Read(string candidate)
        {
            read.Add(candidate);
            return closures.TryGetValue(candidate, out var closure) ? closure
                : throw new DiagnosticException("ProjectEvaluationFailed", candidate, "The SDK 'Aspire.AppHost.Sdk/9.0.0' specified could not be found.");
        }

        var (graph, skipped) = TestProjectGraph.ReadEach(
            ["/r/src/AppHost/AppHost.csproj", "/r/tests/Api.Tests/Api.Tests.csproj", "/r/src/Api/Api.csproj", "/r/tests/AppHost.Tests/AppHost.Tests.csproj", "/r/tools/Tool/Tool.csproj"],
            Read);

        CollectionAssert.AreEqual(
            new[] { ("/r/src/AppHost/AppHost.csproj", "The SDK 'Aspire.AppHost.Sdk/9.0.0' specified could not be found."), ("/r/tests/AppHost.Tests/AppHost.Tests.csproj", "The SDK 'Aspire.AppHost.Sdk/9.0.0' specified could not be found.") },
            skipped.ToArray());
        CollectionAssert.AreEqual(new[] { "/r/tests/Api.Tests/Api.Tests.csproj" }, TestProjectGraph.Referencing(graph, ["/r/src/Api/Api.csproj"]).Select(t => t.FullPath).ToArray());
        Assert.DoesNotContain("/r/src/Api/Api.csproj", read, "a project read in an earlier candidate's closure is not read again");

        var other = Assert.ThrowsExactly<DiagnosticException>(() => TestProjectGraph.ReadEach(["/r/x.csproj"], _ => throw new DiagnosticException("TestProjectNotFound", "/r/x.csproj")));
        Assert.AreEqual("TestProjectNotFound", other.ResourceName, "only an evaluation failure is skipped");
    }

    private static EvaluatedProject Project(string path, bool test, params string[] references) =>
        new() { FullPath = path, IsTestProject = test, References = references };
}
