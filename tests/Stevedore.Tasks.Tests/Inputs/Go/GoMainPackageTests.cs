using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Inputs.Go;

namespace Stevedore.Tasks.Tests.Inputs.Go;

[TestClass]
public sealed class GoMainPackageTests
{
    [TestMethod]
    public void RootMainPackage()
    {
        using var tree = new TempTree();
        tree.File("main.go", "// Command x.\npackage main\n\nfunc main() {}\n");
        tree.File("main_test.go", "package main_test\n");
        Assert.AreEqual(".", GoMainPackage.Find(tree.Root));
    }

    [TestMethod]
    public void SingleCmdFolderWhenTheRootIsALibrary()
    {
        using var tree = new TempTree();
        tree.File("lib.go", "/* Package lib\n   does things. */\npackage lib\n");
        tree.File("gen.go", "//go:build ignore\n\npackage main\n");
        tree.File("cmd/api/main.go", "package main\n");
        tree.File("cmd/README.md", "");
        tree.File("cmd/shared/shared.go", "package shared\n");
        Assert.AreEqual("./cmd/api", GoMainPackage.Find(tree.Root));
    }

    [TestMethod]
    public void SeveralCmdFoldersAreStv1020NamingThem()
    {
        using var tree = new TempTree();
        tree.File("cmd/worker/main.go", "package main\n");
        tree.File("cmd/api/main.go", "package main\n");
        var e = Assert.ThrowsExactly<DiagnosticException>(() => GoMainPackage.Find(tree.Root));
        StringAssert.StartsWith(e.Text, "STV1020: Several main packages found (./cmd/api, ./cmd/worker) in '");
    }

    [TestMethod]
    public void NoneIsStv1019()
    {
        using var tree = new TempTree();
        tree.File("lib.go", "package lib\n");
        StringAssert.StartsWith(Assert.ThrowsExactly<DiagnosticException>(() => GoMainPackage.Find(tree.Root)).Text, "STV1019: No main package found in '");
    }
}
