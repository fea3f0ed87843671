using Stevedore.Tasks.Inputs;
using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Inputs.Go;
using Stevedore.Tasks.Tests.Inputs.DotNet;
using Stevedore.Testing;

namespace Stevedore.Tasks.Tests.Inputs;

/// <summary>
/// ContainerSourceDateEpoch's default on real git repositories shaped like a monorepo (tests/corpus two-services and
/// go-services): a commit in another service keeps a service's epoch, a commit to what it reads moves it.
/// </summary>
[TestClass]
public sealed class LastInputCommitTests
{
    [TestMethod]
    public void AnotherServicesCommitKeepsTheEpochWhatTheServiceReadsMovesIt()
    {
        using var tree = new TempTree();
        var repo = CopyShape(tree, "two-services");
        tree.File("Directory.Packages.props", "<Project />"); // central versions, read by every project's restore
        Commit(repo, 1_700_000_000);
        Assert.AreEqual("1700000000", OrdersEpoch(repo));

        // Billing and the test project are no input of Orders.
        Edit(repo, "services/Billing/Program.cs");
        Commit(repo, 1_700_000_100);
        Edit(repo, "tests/Orders.Tests/OrdersTests.cs");
        Commit(repo, 1_700_000_200);
        Assert.AreEqual("1700000000", OrdersEpoch(repo), "a commit in Billing moved Orders' epoch");

        long time = 1_700_000_300;
        foreach (var input in new[] { "libs/Common/Words.cs", "Directory.Build.props", "eng/Versions.props", "Directory.Packages.props", "nuget.config", "global.json", "services/Orders/Program.cs" })
        {
            Edit(repo, input);
            Commit(repo, time);
            Assert.AreEqual(time.ToString(System.Globalization.CultureInfo.InvariantCulture), OrdersEpoch(repo), $"a commit to {input} should move Orders' epoch");
            time += 100;
        }

        // Uncommitted: the content differs, the date stays the last commit's.
        Edit(repo, "services/Orders/Program.cs");
        Assert.AreEqual((time - 100).ToString(System.Globalization.CultureInfo.InvariantCulture), OrdersEpoch(repo));
    }

    [TestMethod]
    public void AGoServiceKeepsItsEpochWhenASiblingServiceCommits()
    {
        using var tree = new TempTree();
        var repo = CopyShape(tree, "go-services");
        Commit(repo, 1_700_000_000);
        var api = Path.Combine(repo, "services/api/api.goproj");

        Edit(repo, "services/worker/main.go");
        Commit(repo, 1_700_000_100);
        Assert.AreEqual("1700000000", GoEpoch(api));

        Edit(repo, "libs/shared/shared.go");
        Commit(repo, 1_700_000_200);
        Assert.AreEqual("1700000200", GoEpoch(api), "the shared module is copied into api's build");
    }

    [TestMethod]
    public void PathspecsAreRelativeToTheRepositoryLiteralAndInsideIt()
    {
        var root = Path.Combine(Path.GetTempPath(), "repo");
        var specs = LastInputCommit.Pathspecs(root, [
            Path.Combine(root, "libs", "Common") + "/", Path.Combine(root, "global.json"), root, Path.Combine(root, "a[1]", "*.cs"),
            Path.Combine(Path.GetTempPath(), "elsewhere", "nuget.config"), Path.Combine(root, "global.json"), "  "]);
        CollectionAssert.AreEqual(new[] { "libs/Common", "global.json", ".", "a[1]/*.cs" }, specs.ToArray());
    }

    [TestMethod]
    public void NoEpochOutsideARepositoryOrBeforeTheFirstCommitNewInputsGetTheLastCommits()
    {
        using var tree = new TempTree();
        var project = tree.File("app/App.csproj");
        Assert.IsNull(LastInputCommit.Time(Path.GetDirectoryName(project)!, [project]), "outside git");

        Git(tree.Root, "init", "-q");
        Assert.IsNull(LastInputCommit.Time(Path.GetDirectoryName(project)!, [project]), "no commit yet");

        File.Delete(project); // committed later than README.md
        tree.File("README.md", "words");
        Commit(tree.Root, 1_700_000_000);
        tree.File("app/App.csproj");
        Assert.AreEqual("1700000000", LastInputCommit.Time(Path.GetDirectoryName(project)!, [project]), "no commit holds the project yet");
    }

    [TestMethod]
    public void ManyInputsGoThroughStdinNotTheCommandLine()
    {
        using var tree = new TempTree();
        Git(tree.Root, "init", "-q");
        var touched = tree.File("src/touched/File.cs", "x");
        Commit(tree.Root, 1_700_000_000);
        // Over 2 MB of pathspecs: beyond what a command line takes (2 MB on Linux, 32 K characters on Windows).
        var inputs = Enumerable.Range(0, 50_000).Select(i => Path.Combine(tree.Root, "src", "a-folder-no-commit-touched-" + i, "File.cs")).Append(touched).ToList();
        Assert.AreEqual("1700000000", LastInputCommit.Time(tree.Root, inputs));
    }

    // Orders' inputs as the .NET kind lists them (StevedoreImageInput): restore inputs and source inputs of its closure.
    private static string? OrdersEpoch(string repo)
    {
        var orders = Path.Combine(repo, "services/Orders/Orders.csproj");
        var common = Path.Combine(repo, "libs/Common/Common.csproj");
        var inputs = ProjectInputs.Compute(orders, [Closure.Of(orders, Path.Combine(repo, "eng/Versions.props")), Closure.Of(common, Path.Combine(repo, "eng/Versions.props"))]);
        var paths = inputs.RestoreInputs.Select(i => i.FullPath)
            .Concat(inputs.SourceFolders.Concat(inputs.SourceFiles).Select(r => Path.Combine(inputs.ContextRoot, r)));
        return LastInputCommit.Time(Path.GetDirectoryName(orders)!, paths);
    }

    // The Go kind's inputs: module files, module folders and the project file.
    private static string? GoEpoch(string project)
    {
        var inputs = GoInputs.Compute(project);
        var paths = inputs.Files.Concat(inputs.SourceFolders).Select(r => Path.Combine(inputs.ContextRoot, r)).Append(project);
        return LastInputCommit.Time(Path.GetDirectoryName(project)!, paths);
    }

    private static string CopyShape(TempTree tree, string shape)
    {
        var source = Repo.Path("tests", "corpus", shape);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            tree.File(Path.GetRelativePath(source, file), File.ReadAllText(file));
        }

        Git(tree.Root, "init", "-q");
        return tree.Root;
    }

    private static void Edit(string repo, string relativePath) => File.AppendAllText(Path.Combine(repo, relativePath), "\n");

    private static void Commit(string repo, long time) => Repo.CommitAll(repo, "@" + time.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static void Git(string repo, params string[] arguments) => CommandRunner.Run("git", arguments, repo).EnsureSuccess();
}
