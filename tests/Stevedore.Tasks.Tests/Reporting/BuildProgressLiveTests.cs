using System.Text;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Tests.Reporting;

/// <summary>
/// What a publish prints while buildx runs: a step's name when it starts (a long step shows what is running, as plain
/// progress does), how it ended when it finishes, and the warnings its output held as MSBuild warnings.
/// </summary>
[TestClass]
public sealed class BuildProgressLiveTests
{
    [TestMethod]
    public void AStepIsNamedWhenItStartsAndAgainOnlyWhenOtherLinesCameBetween()
    {
        var progress = new BuildProgress();
        var lines = new[]
        {
            Status(("sha256:a", "[build 3/5] RUN dotnet restore", "2026-01-01T00:00:00Z", null)),
            Status(("sha256:a", "[build 3/5] RUN dotnet restore", "2026-01-01T00:00:00Z", "2026-01-01T00:00:12.3Z")),
            Status(("sha256:b", "[linux/amd64 final 2/3] COPY app", "2026-01-01T00:00:13Z", null), ("sha256:c", "[linux/arm64 final 2/3] COPY app", "2026-01-01T00:00:13Z", null)),
            Status(("sha256:b", "[linux/amd64 final 2/3] COPY app", "2026-01-01T00:00:13Z", "2026-01-01T00:00:14Z")),
        }.SelectMany(progress.Add).ToList();

        CollectionAssert.AreEqual(
            new[]
            {
                "#1 [build 3/5] RUN dotnet restore",
                "#1 DONE 12.3s",
                "#2 [linux/amd64 final 2/3] COPY app",
                "#3 [linux/arm64 final 2/3] COPY app",
                "#2 [linux/amd64 final 2/3] COPY app",
                "#2 DONE 1.0s",
            },
            lines,
            string.Join("\n", lines));
        CollectionAssert.AreEqual(new[] { "sha256:a", "sha256:b" }, progress.TakeFinished().Concat(progress.TakeFinished()).Select(v => v.Digest).ToArray());
    }

    [TestMethod]
    public void AStepsWarningsAreLoggedOnceWithTheirCodeAndHostFileEvenWhenItSucceeds()
    {
        using var tree = new TempTree();
        var source = tree.File("src/Api/Program.cs", "int unused;\n");
        var engine = new RecordingBuildEngine();
        var diagnostics = new StepDiagnosticLog(new TaskLoggingHelper(engine, "BuildContainerImage"), [tree.Root]);
        var progress = new BuildProgress();
        const string Warning = "/src/src/Api/Program.cs(1,5): warning CS0168: The variable 'unused' is declared but never used [/src/src/Api/Api.csproj]\n";
        foreach (var line in new[]
        {
            Status(("sha256:a", "[build 5/6] RUN dotnet publish", "2026-01-01T00:00:00Z", null)),
            // BuildKit's chunks may end inside a line; the console logger repeats warnings in its summary.
            Log("sha256:a", Warning[..40]),
            Log("sha256:a", Warning[40..] + "  Api -> /app/amd64/app/\n" + Warning),
            Log("sha256:a", "/src/src/Api/Program.cs(2,1): error CS0103: recovered from\n"),
            Status(("sha256:a", "[build 5/6] RUN dotnet publish", "2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z")),
        })
        {
            progress.Add(line);
            diagnostics.Log(progress.TakeFinished());
        }

        var warning = engine.Warnings.Single();
        Assert.AreEqual("CS0168", warning.Code);
        Assert.AreEqual(source, warning.File);
        Assert.AreEqual((1, 5), (warning.LineNumber, warning.ColumnNumber));
        Assert.AreEqual("The variable 'unused' is declared but never used", warning.Message);
        Assert.IsEmpty(engine.Errors, "a step that succeeded has no errors");
    }

    [TestMethod]
    public void AFailedStepsCompilerErrorsBecomeErrors()
    {
        var engine = new RecordingBuildEngine();
        var diagnostics = new StepDiagnosticLog(new TaskLoggingHelper(engine, "BuildContainerImage"), []);
        var progress = new BuildProgress();
        progress.Add(Log("sha256:a", "ignored: the vertex is not known yet\n"));
        progress.Add(Status(("sha256:a", "[build 5/6] RUN go build ./...", "2026-01-01T00:00:00Z", null)));
        progress.Add(Log("sha256:a", "# example.com/api\n./main.go:12:2: undefined: handler\n"));
        progress.Add("""{"vertexes":[{"digest":"sha256:a","name":"[build 5/6] RUN go build ./...","started":"2026-01-01T00:00:00Z","completed":"2026-01-01T00:00:03Z","error":"exit code: 1"}]}""");
        diagnostics.Log(progress.TakeFinished());

        var error = engine.Errors.Single();
        Assert.AreEqual(("./main.go", 12, "undefined: handler"), (error.File, error.LineNumber, error.Message));
    }

    [TestMethod]
    public void ARealBuildNamesTheCompileStepBeforeItEndsAndLogsItsWarningOnce()
    {
        // samples/dotnet with `int stevedoreUnused;` in Program.cs, TreatWarningsAsErrors off, published by buildx 0.13.1.
        var engine = new RecordingBuildEngine();
        var diagnostics = new StepDiagnosticLog(new TaskLoggingHelper(engine, "BuildContainerImage"), []);
        var progress = new BuildProgress();
        var lines = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Reporting", "Fixtures", "compile-warning.rawjson")))
        {
            lines.AddRange(progress.Add(line));
            diagnostics.Log(progress.TakeFinished());
        }

        var compile = lines.FindIndex(l => l.Contains("] RUN --network=none", StringComparison.Ordinal) && l.Contains("dotnet msbuild", StringComparison.Ordinal));
        var number = lines[compile].Split(' ')[0];
        var done = lines.FindIndex(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^" + number + @" DONE \d+\.\ds$"));
        Assert.IsGreaterThan(compile, done, "named when it started, DONE when it ended:\n" + string.Join("\n", lines));
        Assert.AreEqual(1, lines.Count(l => l.StartsWith(number + " DONE", StringComparison.Ordinal)));
        var warning = engine.Warnings.Single();
        Assert.AreEqual(("CS0168", "/src/samples/dotnet/src/Api/Program.cs", 14, 5), (warning.Code, warning.File, warning.LineNumber, warning.ColumnNumber));
    }

    private static string Status(params (string Digest, string Name, string Started, string? Completed)[] vertices) =>
        "{\"vertexes\":[" + string.Join(",", vertices.Select(v =>
            $"{{\"digest\":\"{v.Digest}\",\"name\":\"{v.Name}\",\"started\":\"{v.Started}\"" + (v.Completed is null ? "" : $",\"completed\":\"{v.Completed}\"") + "}")) + "]}";

    private static string Log(string digest, string text) =>
        $"{{\"logs\":[{{\"vertex\":\"{digest}\",\"stream\":1,\"data\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}\"}}]}}";
}
