using System.Globalization;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// What a ContainerRunTests run left in its exported results folder: the exit code of the run, and the tests of the
/// TRX files (`dotnet test --logger trx`) and `go test -json` streams (*.json) in it. Pure: reads files only.
/// </summary>
internal sealed record TestResults(int? ExitCode, int Passed, int Failed, int Skipped, IReadOnlyList<string> FailedTests)
{
    public int Total => Passed + Failed + Skipped;

    /// <summary>The failed tests for a message: at most <paramref name="max"/> names, then how many more.</summary>
    public string FailedTestList(int max = 10) => FailedTests.Count <= max
        ? string.Join(", ", FailedTests)
        : string.Join(", ", FailedTests.Take(max)) + string.Format(CultureInfo.InvariantCulture, " and {0} more", FailedTests.Count - max);

    public static TestResults Read(string folder)
    {
        int? exit = null;
        var exitFile = Path.Combine(folder, Dockerfiles.TestStages.ExitFile);
        if (File.Exists(exitFile) && int.TryParse(File.ReadAllText(exitFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
        {
            exit = code;
        }

        var outcomes = new List<(string Name, Outcome Outcome)>();
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (file.EndsWith(".trx", StringComparison.OrdinalIgnoreCase))
                {
                    outcomes.AddRange(FromTrx(file));
                }
                else if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                {
                    outcomes.AddRange(FromGoTestJson(File.ReadLines(file)));
                }
            }
        }

        return new TestResults(
            exit,
            outcomes.Count(o => o.Outcome == Outcome.Passed),
            outcomes.Count(o => o.Outcome == Outcome.Failed),
            outcomes.Count(o => o.Outcome == Outcome.Skipped),
            outcomes.Where(o => o.Outcome == Outcome.Failed).Select(o => o.Name).Distinct(StringComparer.Ordinal).ToList());
    }

    internal enum Outcome
    {
        Passed,
        Failed,
        Skipped,
    }

    // <UnitTestResult testName="Namespace.Class.Method" outcome="Passed|Failed|NotExecuted|…"> in the TeamTest namespace.
    internal static IEnumerable<(string Name, Outcome Outcome)> FromTrx(string file)
    {
        XDocument trx;
        try
        {
            trx = XDocument.Load(file);
        }
        catch (XmlException)
        {
            // A run that crashed mid-write: the exit code still fails the publish.
            return [];
        }

        // MSTest names a result by its method alone: the test definition (UnitTest id=testId) holds the class.
        var classes = trx.Descendants().Where(e => e.Name.LocalName == "UnitTest")
            .Select(u => (Id: (string?)u.Attribute("id"), Class: (string?)u.Elements().FirstOrDefault(m => m.Name.LocalName == "TestMethod")?.Attribute("className")))
            .Where(u => u.Id is not null && u.Class is not null)
            .GroupBy(u => u.Id!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Class!, StringComparer.Ordinal);
        return trx.Descendants().Where(e => e.Name.LocalName == "UnitTestResult")
            .Select(e => (Name(e, classes), (string?)e.Attribute("outcome") switch
            {
                "Passed" => Outcome.Passed,
                "Failed" or "Error" or "Timeout" or "Aborted" => Outcome.Failed,
                _ => Outcome.Skipped,
            }))
            .ToList();
    }

    private static string Name(XElement result, Dictionary<string, string> classes)
    {
        var name = (string?)result.Attribute("testName") ?? "?";
        return (string?)result.Attribute("testId") is { } id && classes.TryGetValue(id, out var type) && !name.StartsWith(type + ".", StringComparison.Ordinal)
            ? type + "." + name
            : name;
    }

    // `go test -json`: one event per line; a test's last event is {"Action":"pass|fail|skip","Package":…,"Test":…}.
    internal static IEnumerable<(string Name, Outcome Outcome)> FromGoTestJson(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            string? action, test, package;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                action = root.TryGetProperty("Action", out var a) ? a.GetString() : null;
                test = root.TryGetProperty("Test", out var t) ? t.GetString() : null;
                package = root.TryGetProperty("Package", out var p) ? p.GetString() : null;
            }
            catch (JsonException)
            {
                continue;
            }

            if (test is null)
            {
                continue;
            }

            var name = package is null ? test : package + "." + test;
            switch (action)
            {
                case "pass":
                    yield return (name, Outcome.Passed);
                    break;
                case "fail":
                    yield return (name, Outcome.Failed);
                    break;
                case "skip":
                    yield return (name, Outcome.Skipped);
                    break;
            }
        }
    }
}
