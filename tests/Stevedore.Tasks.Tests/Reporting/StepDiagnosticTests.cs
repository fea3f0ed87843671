using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Tests.Reporting;

/// <summary>What a build step printed that is a warning or an error: the host never compiles, so these are the user's only sight of them.</summary>
[TestClass]
public sealed class StepDiagnosticTests
{
    [TestMethod]
    public void CompilerWarningKeepsCodeFileAndPositionWithoutTheProjectSuffix()
    {
        var warning = StepDiagnostic.Parse("  /src/src/Api/Program.cs(15,5): warning CS0168: The variable 'unused' is declared but never used [/src/src/Api/Api.csproj::TargetFramework=net10.0]");

        Assert.AreEqual(new StepDiagnostic(false, null, "CS0168", "/src/src/Api/Program.cs", 15, 5, "The variable 'unused' is declared but never used"), warning);
    }

    [TestMethod]
    public void NuGetWarningOnAProjectFile()
    {
        var warning = StepDiagnostic.Parse("/src/src/Api/Api.csproj : warning NU1603: Api depends on Serilog (>= 4.0.0) but Serilog 4.0.0 was not found. Serilog 4.0.1 was resolved instead. [/src/src/Api/Api.csproj]");

        Assert.AreEqual(new StepDiagnostic(false, null, "NU1603", "/src/src/Api/Api.csproj", 0, 0, "Api depends on Serilog (>= 4.0.0) but Serilog 4.0.0 was not found. Serilog 4.0.1 was resolved instead."), warning);
    }

    [TestMethod]
    public void ToolOriginsSubcategoriesAndBareCodes()
    {
        Assert.AreEqual(new StepDiagnostic(false, "Trim analysis", "IL2026", "/src/Program.cs", 9, 1, "Using member 'X' which has 'RequiresUnreferencedCodeAttribute'"),
            StepDiagnostic.Parse("/src/Program.cs(9,1): Trim analysis warning IL2026: Using member 'X' which has 'RequiresUnreferencedCodeAttribute'"));
        Assert.AreEqual(new StepDiagnostic(false, null, "CS2008", "CSC", 0, 0, "No source files specified."), StepDiagnostic.Parse("CSC : warning CS2008: No source files specified."));
        Assert.AreEqual(new StepDiagnostic(false, null, "NETSDK1179", null, 0, 0, "One of '--self-contained' or '--no-self-contained' options are required."),
            StepDiagnostic.Parse("warning NETSDK1179: One of '--self-contained' or '--no-self-contained' options are required."));
    }

    [TestMethod]
    public void CCompilerWarningUnderCgo()
    {
        Assert.AreEqual(new StepDiagnostic(false, null, null, "./native/add.c", 4, 9, "unused variable 'x' [-Wunused-variable]"),
            StepDiagnostic.Parse("./native/add.c:4:9: warning: unused variable 'x' [-Wunused-variable]"));
    }

    [TestMethod]
    public void ErrorsOfTheCompilersToo()
    {
        Assert.AreEqual(new StepDiagnostic(true, null, "CS0103", "/src/src/Api/Program.cs", 15, 5, "The name 'x' does not exist in the current context"),
            StepDiagnostic.Parse("/src/src/Api/Program.cs(15,5): error CS0103: The name 'x' does not exist in the current context [/src/src/Api/Api.csproj]"));
        Assert.AreEqual(new StepDiagnostic(true, null, null, "./cmd/api/main.go", 12, 2, "undefined: handler"), StepDiagnostic.Parse("./cmd/api/main.go:12:2: undefined: handler"));
    }

    [TestMethod]
    public void OtherLinesAreNoDiagnostics()
    {
        foreach (var line in new[]
        {
            "dpkg: warning: 'ldconfig' not found in PATH or not executable",
            "debconf: delaying package configuration, since apt-utils is not installed",
            "    0 Warning(s)",
            "  Api -> /app/amd64/app/",
            "W: Some index files failed to download.",
            "",
        })
        {
            Assert.IsNull(StepDiagnostic.Parse(line), line);
        }
    }

    [TestMethod]
    public void ContainerPathsBecomeTheFilesOnTheHostWhenTheyExist()
    {
        using var tree = new TempTree();
        var source = tree.File("src/Api/Program.cs", "int unused;\n");
        var warning = new StepDiagnostic(false, null, "CS0168", "/src/src/Api/Program.cs", 1, 5, "unused");

        Assert.AreEqual(source, warning.OnHost(["/nowhere", tree.Root]).File);
        Assert.AreEqual("/src/src/Gone.cs", (warning with { File = "/src/src/Gone.cs" }).OnHost([tree.Root]).File, "a file the context lacks keeps the container's path");
        Assert.AreEqual("CSC", (warning with { File = "CSC" }).OnHost([tree.Root]).File);
    }
}
