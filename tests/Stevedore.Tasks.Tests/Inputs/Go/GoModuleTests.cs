using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Inputs.Go;

namespace Stevedore.Tasks.Tests.Inputs.Go;

[TestClass]
public sealed class GoModuleTests
{
    // The shape `go mod tidy` writes for a service with direct and indirect blocks, plus what people add by hand.
    private const string Service = """
        // Service api.
        module github.com/acme/shop/api // trailing comment

        go 1.22.3

        toolchain go1.24.4

        godebug default=go1.21

        require (
        	github.com/go-chi/chi/v5 v5.0.12
        	"github.com/google/uuid" v1.6.0
        	golang.org/x/sync v0.7.0 // indirect
        )

        require github.com/stretchr/testify v1.9.0 // indirect; only tests

        replace github.com/acme/shop/greet => ./greet

        replace (
        	github.com/acme/shop/lib v1.2.3 => ../lib
        	golang.org/x/net => golang.org/x/net v0.25.0
        	github.com/acme/old => /opt/src/old
        )

        exclude github.com/bad/mod v1.0.0

        retract (
        	v1.0.1 // published by mistake
        	[v1.1.0, v1.1.5]
        )
        """;

    [TestMethod]
    public void ReadsModuleGoAndToolchain()
    {
        var module = GoModule.Parse(Service, "go.mod");
        Assert.AreEqual("github.com/acme/shop/api", module.ModulePath);
        Assert.AreEqual(new GoVersion(1, 22, 3, null), module.Go);
        Assert.AreEqual(new GoVersion(1, 24, 4, null), module.Toolchain);
    }

    [TestMethod]
    public void ReadsSingleAndBlockRequiresWithIndirect()
    {
        var module = GoModule.Parse(Service, "go.mod");
        CollectionAssert.AreEqual(
            new[]
            {
                new GoRequirement("github.com/go-chi/chi/v5", "v5.0.12", false),
                new GoRequirement("github.com/google/uuid", "v1.6.0", false),
                new GoRequirement("golang.org/x/sync", "v0.7.0", true),
                new GoRequirement("github.com/stretchr/testify", "v1.9.0", true),
            },
            module.Requirements.ToArray());
    }

    [TestMethod]
    public void ReadsSingleAndBlockReplacesAndTellsLocalOnes()
    {
        var replacements = GoModule.Parse(Service, "go.mod").Replacements;
        CollectionAssert.AreEqual(
            new[] { "github.com/acme/shop/greet => ./greet", "github.com/acme/shop/lib v1.2.3 => ../lib", "golang.org/x/net => golang.org/x/net v0.25.0", "github.com/acme/old => /opt/src/old" },
            replacements.Select(r => r.ToString()).ToArray());
        CollectionAssert.AreEqual(new[] { true, true, false, true }, replacements.Select(r => r.IsLocal).ToArray());
    }

    [TestMethod]
    public void MinimalGoModHasNoGoDirective()
    {
        var module = GoModule.Parse("module example.com/m\n", "go.mod");
        Assert.IsNull(module.Go);
        Assert.IsEmpty(module.Requirements);
    }

    [TestMethod]
    public void ToolchainDefaultAndSuffixes()
    {
        Assert.IsNull(GoModule.Parse("module m\ngo 1.21\ntoolchain default\n", "go.mod").Toolchain);
        Assert.AreEqual(new GoVersion(1, 23, 1, null), GoModule.Parse("module m\ntoolchain go1.23.1+auto\n", "go.mod").Toolchain);
    }

    [TestMethod]
    [DataRow("go 1.9x", "go 1.9x")]
    [DataRow("go banana", "go banana")]
    [DataRow("go 1", "go 1")]
    [DataRow("go 2.0", "go 2.0")]
    [DataRow("toolchain banana", "toolchain banana")]
    [DataRow("toolchain go1.x", "toolchain go1.x")]
    public void UnknownVersionIsStv1015(string line, string named)
    {
        var e = Assert.ThrowsExactly<DiagnosticException>(() => GoModule.Parse("module m\n" + line + "\n", "/src/go.mod"));
        Assert.AreEqual("InvalidGoVersion", e.ResourceName);
        StringAssert.StartsWith(e.Text, $"STV1015: '{named}' in '/src/go.mod' is not a Go version");
    }

    [TestMethod]
    [DataRow("module m\nrequire (\n\tgithub.com/a/b v1.0.0\n", "block is never closed")]
    [DataRow("module m\nrequire github.com/a/b\n", "require takes a module path and a version")]
    [DataRow("module m\nreplace a ./b\n", "replace takes")]
    [DataRow("go 1.22\n", "no module directive")]
    [DataRow("module \"m\n", "quoted string is not closed")]
    public void BrokenFileIsStv1016(string text, string problem)
    {
        var e = Assert.ThrowsExactly<DiagnosticException>(() => GoModule.Parse(text, "go.mod"));
        StringAssert.StartsWith(e.Text, "STV1016: 'go.mod' line ");
        StringAssert.Contains(e.Text, problem);
    }

    [TestMethod]
    public void VersionsCompareLikeGo()
    {
        GoVersion V(string v) => GoVersion.Parse(v, "go", "go.mod");
        Assert.IsLessThan(0, V("1.21rc1").CompareTo(V("1.21.0")));
        Assert.IsLessThan(0, V("1.9").CompareTo(V("1.10")));
        Assert.AreEqual(0, V("1.24").CompareTo(V("1.24.0")));
        Assert.AreEqual(V("1.24.4"), GoVersion.Max([V("1.22"), V("1.24.4"), V("1.24")]));
        Assert.AreEqual("1.21", V("1.21rc2").ImageTag);
    }

    [TestMethod]
    public void GoWorkUsesSingleAndBlock()
    {
        var work = GoWork.Parse("""
            go 1.23

            use ./api // the service
            use (
            	./libs/greet
            	"./tools/gen"
            )

            replace example.com/x => ./third_party/x
            """, "go.work");
        Assert.AreEqual(new GoVersion(1, 23, 0, null), work.Go);
        CollectionAssert.AreEqual(new[] { "./api", "./libs/greet", "./tools/gen" }, work.Uses.ToArray());
        Assert.IsTrue(work.Replacements.Single().IsLocal);
    }
}
