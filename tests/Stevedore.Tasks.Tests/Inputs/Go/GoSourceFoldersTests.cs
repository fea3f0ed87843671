using Stevedore.Tasks.Inputs.Go;

namespace Stevedore.Tasks.Tests.Inputs.Go;

/// <summary>Which module folders a Go build copies: its own, its local replacements and the go.work modules it needs, never a sibling service.</summary>
[TestClass]
public sealed class GoSourceFoldersTests
{
    [TestMethod]
    public void WorkspaceCopiesTheImportedModuleButNotTheSiblingService()
    {
        using var tree = new TempTree();
        tree.Folder(".git");
        tree.File("go.work", "go 1.24\n\nuse (\n\t./libs/shared\n\t./libs/util\n\t./services/api\n\t./services/worker\n)\n");
        tree.File("libs/shared/go.mod", "module example.com/libs/shared\n\ngo 1.24\n");
        tree.File("libs/shared/shared.go", "package shared\n\nimport \"example.com/libs/util/text\"\n\nvar X = text.Y\n");
        tree.File("libs/util/go.mod", "module example.com/libs/util\n\ngo 1.24\n");
        tree.File("libs/util/text/text.go", "package text\n\nconst Y = 1\n");
        var project = tree.File("services/api/api.goproj");
        tree.File("services/api/go.mod", "module example.com/services/api\n\ngo 1.24\n");
        tree.File("services/api/main.go", "package main\n\nimport (\n\t\"fmt\"\n\n\tsh \"example.com/libs/shared\"\n)\n\nfunc main() { fmt.Println(sh.X) }\n");
        tree.File("services/worker/go.mod", "module example.com/services/worker\n\ngo 1.24\n");
        tree.File("services/worker/main.go", "package main\n\nimport \"example.com/libs/shared\"\n\nfunc main() { _ = shared.X }\n");

        var inputs = GoInputs.Compute(project);

        CollectionAssert.AreEqual(new[] { "libs/shared/", "libs/util/", "services/api/" }, inputs.SourceFolders.ToArray(), "util through shared's import");
        CollectionAssert.Contains(inputs.Files.ToArray(), "services/worker/go.mod", "go mod download reads the whole workspace");
    }

    [TestMethod]
    public void RequiredWorkspaceModuleIsCopiedEvenWhenNotYetImported()
    {
        using var tree = new TempTree();
        tree.Folder(".git");
        tree.File("go.work", "go 1.24\n\nuse ./api\nuse ./lib\n");
        tree.File("lib/go.mod", "module example.com/lib\n\ngo 1.24\n");
        var project = tree.File("api/api.goproj");
        tree.File("api/go.mod", "module example.com/api\n\ngo 1.24\n\nrequire example.com/lib v0.0.0\n");
        tree.File("api/main.go", "package main\n\nfunc main() {}\n");

        CollectionAssert.AreEqual(new[] { "api/", "lib/" }, GoInputs.Compute(project).SourceFolders.ToArray());
    }

    [TestMethod]
    public void AReplacementInsideTheModuleNeedsNoCopyOfItsOwn()
    {
        using var tree = new TempTree();
        tree.Folder(".git");
        var project = tree.File("api.goproj");
        tree.File("go.mod", "module example.com/api\n\ngo 1.24\n\nreplace example.com/greet => ./greet\n");
        tree.File("greet/go.mod", "module example.com/greet\n");

        CollectionAssert.AreEqual(new[] { "./" }, GoInputs.Compute(project).SourceFolders.ToArray());
    }

    [TestMethod]
    public void ImportsAreReadFromSingleLinesAndBlocks()
    {
        var source = "// comment\npackage main\n\nimport \"fmt\"\nimport alias \"example.com/a\"\nimport (\n\t\"os\"\n\tb \"example.com/b/c\"\n\t_ \"embed\"\n)\n";
        CollectionAssert.AreEquivalent(new[] { "fmt", "example.com/a", "os", "example.com/b/c", "embed" }, GoImports.Parse(source).ToArray());
    }
}
