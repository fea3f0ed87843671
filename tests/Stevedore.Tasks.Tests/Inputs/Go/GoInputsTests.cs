using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Inputs.Go;

namespace Stevedore.Tasks.Tests.Inputs.Go;

[TestClass]
public sealed class GoInputsTests
{
    [TestMethod]
    public void LocalReplaceBelowTheModule()
    {
        using var tree = new TempTree();
        tree.Folder("repo/.git");
        var project = tree.File("repo/api/api.goproj");
        tree.File("repo/api/go.mod", "module example.com/api\n\ngo 1.24\n\nrequire example.com/greet v0.0.0\n\nreplace example.com/greet => ./greet\n");
        tree.File("repo/api/go.sum", "");
        tree.File("repo/api/greet/go.mod", "module example.com/greet\n\ngo 1.22\n");
        var inputs = GoInputs.Compute(project);
        Assert.AreEqual(Path.Combine(tree.Root, "repo", "api"), inputs.ContextRoot);
        Assert.AreEqual(string.Empty, inputs.ModuleFolder);
        CollectionAssert.AreEqual(new[] { "go.mod", "go.sum", "greet/go.mod" }, inputs.Files.ToArray());
        Assert.AreEqual("golang:1.24", inputs.DefaultBuildImage);
    }

    [TestMethod]
    public void SiblingReplaceWidensTheContext()
    {
        using var tree = new TempTree();
        tree.Folder("repo/.git");
        var project = tree.File("repo/services/api/api.goproj");
        tree.File("repo/services/api/go.mod", "module a\ngo 1.22\ntoolchain go1.23.2\nreplace (\n\tb => ../../libs/b\n)\n");
        tree.File("repo/libs/b/go.mod", "module b\ngo 1.21\n");
        tree.File("repo/libs/b/go.sum", "");
        var inputs = GoInputs.Compute(project);
        Assert.AreEqual(Path.Combine(tree.Root, "repo"), inputs.ContextRoot);
        Assert.AreEqual("services/api", inputs.ModuleFolder);
        CollectionAssert.AreEqual(new[] { "libs/b/go.mod", "libs/b/go.sum", "services/api/go.mod" }, inputs.Files.ToArray());
        Assert.AreEqual("golang:1.23", inputs.DefaultBuildImage, "the toolchain directive is newer than go");
    }

    [TestMethod]
    public void GoWorkModulesAndSums()
    {
        using var tree = new TempTree();
        tree.File("ws/go.work", "go 1.24\n\nuse (\n\t./api\n\t./greet\n)\n");
        tree.File("ws/go.work.sum", "");
        var project = tree.File("ws/api/api.goproj");
        tree.File("ws/api/go.mod", "module api\ngo 1.23\n");
        tree.File("ws/greet/go.mod", "module greet\ngo 1.23\n");
        var inputs = GoInputs.Compute(project);
        Assert.AreEqual(Path.Combine(tree.Root, "ws"), inputs.ContextRoot);
        Assert.AreEqual("api", inputs.ModuleFolder);
        CollectionAssert.AreEqual(new[] { "api/go.mod", "go.work", "go.work.sum", "greet/go.mod" }, inputs.Files.ToArray());
        Assert.AreEqual("golang:1.24", inputs.DefaultBuildImage, "go.work asks for the newest Go");
    }

    [TestMethod]
    public void VendoredModule()
    {
        using var tree = new TempTree();
        var project = tree.File("m/m.goproj");
        tree.File("m/go.mod", "module m\ngo 1.24\n");
        tree.File("m/vendor/modules.txt", "");
        Assert.IsTrue(GoInputs.Compute(project).UsesVendor);
    }

    [TestMethod]
    public void MissingGoModIsStv1014()
    {
        using var tree = new TempTree();
        var project = tree.File("svc/api.goproj");
        var e = Assert.ThrowsExactly<DiagnosticException>(() => GoInputs.Compute(project));
        StringAssert.StartsWith(e.Text, "STV1014: Stevedore.Sdk is the own SDK of 'api.goproj', so it builds a Go module, but there is no go.mod in '");
    }

    [TestMethod]
    [DataRow("/opt/src/b")]
    [DataRow("../../outside")]
    public void ReplaceOutsideTheRepositoryIsStv1017(string target)
    {
        using var tree = new TempTree();
        tree.Folder("repo/.git");
        tree.File("outside/go.mod", "module b\n");
        var project = tree.File("repo/api/api.goproj");
        tree.File("repo/api/go.mod", $"module a\ngo 1.24\nreplace b => {target}\n");
        var e = Assert.ThrowsExactly<DiagnosticException>(() => GoInputs.Compute(project));
        StringAssert.StartsWith(e.Text, $"STV1017: 'replace b => {target}' in '");
    }

    [TestMethod]
    public void WithoutRepositoryTheModuleIsTheBoundary()
    {
        using var tree = new TempTree();
        tree.File("b/go.mod", "module b\n");
        var project = tree.File("a/a.goproj");
        tree.File("a/go.mod", "module a\nreplace b => ../b\n");
        Assert.AreEqual("GoModuleOutsideContext", Assert.ThrowsExactly<DiagnosticException>(() => GoInputs.Compute(project)).ResourceName);
    }

    [TestMethod]
    public void ReplaceToAMissingFolderIsStv1018()
    {
        using var tree = new TempTree();
        tree.Folder("repo/.git");
        tree.Folder("repo/api/empty");
        var project = tree.File("repo/api/api.goproj");
        tree.File("repo/api/go.mod", "module a\nreplace b => ./gone\nreplace c => ./empty\n");
        var e = Assert.ThrowsExactly<DiagnosticException>(() => GoInputs.Compute(project));
        StringAssert.StartsWith(e.Text, "STV1018: 'replace b => ./gone' in '");
    }

    [TestMethod]
    public void NetworkReplacementsAreNotCopied()
    {
        using var tree = new TempTree();
        var project = tree.File("m/m.goproj");
        tree.File("m/go.mod", "module m\ngo 1.24\nreplace golang.org/x/net => golang.org/x/net v0.25.0\n");
        CollectionAssert.AreEqual(new[] { "go.mod" }, GoInputs.Compute(project).Files.ToArray());
    }
}
