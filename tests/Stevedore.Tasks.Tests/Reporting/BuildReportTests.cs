using System.Text.Json;
using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Tests.Reporting;

/// <summary>
/// Fixtures: `docker buildx build --progress=rawjson` of a two-stage Dockerfile for linux/amd64,linux/arm64 on this
/// project's engine (buildx 0.13.1), `statuses` objects removed: a fresh build exporting its cache, the same build
/// again with the cache imported and an export to a closed port (ignore-error=true), and without ignore-error.
/// </summary>
[TestClass]
public sealed class BuildReportTests
{
    private static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Reporting", "Fixtures", name);

    private static BuildReport Report(string fixture, string? cacheTo = null, JsonElement? metadata = null) =>
        BuildReport.Create(BuildProgress.Read(File.ReadLines(Fixture(fixture))), Platforms, cacheTo, metadata, ["127.0.0.1:5000/e2e/rawjson:x"]);

    [TestMethod]
    public void FreshBuildHasNothingCachedAndExportsItsCache()
    {
        var report = Report("fresh-build-cache-exported.rawjson", "127.0.0.1:5000/e2e/rawjson-cache:x");

        CollectionAssert.AreEqual(Platforms, report.Platforms.Select(p => p.Platform).ToArray());
        Assert.IsTrue(report.Platforms.All(p => p.Steps == 5 && p.Cached == 0), string.Join("\n", report.Platforms));
        var export = report.Caches.Single();
        Assert.AreEqual(("export", "127.0.0.1:5000/e2e/rawjson-cache:x", true), (export.Direction, export.Location, export.Succeeded));
        Assert.IsGreaterThan(0.0, report.Seconds);
    }

    [TestMethod]
    public void CachedBuildCountsCachedStepsPerPlatformAndTheFailedExport()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Fixture("cached-build.metadata.json")));
        var report = Report("cached-build-cache-export-failed.rawjson", "127.0.0.1:1/e2e/nowhere:x", metadata.RootElement);

        foreach (var platform in report.Platforms)
        {
            Assert.AreEqual((5, 3, 0.6), (platform.Steps, platform.Cached, platform.CachedRatio), platform.Platform);
            Assert.AreEqual(3, platform.StepList.Count(s => s.Cached && s.Name.Contains(platform.Platform, StringComparison.Ordinal)));
        }

        var import = report.Caches.Single(c => c.Direction == "import");
        Assert.AreEqual("127.0.0.1:5000/e2e/rawjson-cache:rj1795449832", import.Location);
        Assert.IsTrue(import.Succeeded);
        var export = report.Caches.Single(c => c.Direction == "export");
        Assert.IsFalse(export.Succeeded);
        StringAssert.Contains(export.Error, "connection refused");
        Assert.AreEqual("sha256:d06a3e471bd0a6dde4d87d5aa70f580a9e9e7f32566b5a2f981cf2cb91e12e9a", report.Digest);
        Assert.AreEqual("application/vnd.docker.distribution.manifest.list.v2+json", report.MediaType);
        Assert.AreEqual(683L, report.Size);
        StringAssert.StartsWith(report.BuildRef, "default/default/");
        CollectionAssert.AreEqual(
            new[]
            {
                // Without the index's content the line names the index digest as an index, not as the platform's image.
                "Stevedore: linux/amd64: 3/5 steps CACHED (60%), " + report.Platforms[0].Seconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s, index sha256:d06a3e471bd0a6dde4d87d5aa70f580a9e9e7f32566b5a2f981cf2cb91e12e9a",
            },
            report.Summary().Take(1).ToArray());
    }

    [TestMethod]
    public void FailedBuildKeepsBuildxsErrorLine()
    {
        var progress = BuildProgress.Read(File.ReadLines(Fixture("cache-export-failed-build-failed.rawjson")));
        StringAssert.StartsWith(progress.Text.Single(), "ERROR: failed to solve: error writing layer blob");
        Assert.IsFalse(BuildReport.Create(progress, Platforms, null, null, []).Caches.Single().Succeeded);
    }

    [TestMethod]
    public void LiveLinesLookLikePlainProgress()
    {
        var progress = new BuildProgress();
        var lines = File.ReadLines(Fixture("cached-build-cache-export-failed.rawjson")).SelectMany(progress.Add).ToList();

        // A cached step named once, then CACHED; others DONE n.ns or ERROR, every vertex ending exactly once.
        var names = lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^#\d+ \[linux/arm64 build 2/3\] RUN")).ToList();
        Assert.HasCount(1, names);
        var number = names[0].Split(' ')[0];
        Assert.AreEqual(number + " CACHED", lines[lines.IndexOf(names[0]) + 1]);
        Assert.IsTrue(lines.Any(l => l.Contains(" ERROR: error writing layer blob", StringComparison.Ordinal)));
        Assert.IsTrue(lines.Any(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^#\d+ DONE \d+\.\ds$")));
        Assert.AreEqual(progress.Vertices.Count(), lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^#\d+ (CACHED|DONE \d+\.\ds|ERROR: .*)$")));
    }

    // samples/realistic-dotnet after a one-line edit, both platforms, 3 minutes after the cold build on the same engine:
    // BuildKit reports the steps found cached (FROM, WORKDIR) with the cold build's times. The build took ~24 s.
    [TestMethod]
    public void StepsFoundCachedFromAnEarlierBuildDoNotStretchTheTime()
    {
        var report = Report("warm-edit-after-another-build.rawjson");

        Assert.IsTrue(report.Seconds is > 20 and < 30, $"{report.Seconds} s");
        // amd64 holds the build stage (compiled once for both); arm64 only copies its output.
        Assert.IsTrue(report.Platforms[0].Seconds is > 20 and < 30, report.Platforms[0].ToString());
        Assert.IsTrue(report.Platforms[1].Seconds is < 30, report.Platforms[1].ToString());
        Assert.AreEqual(17, report.Platforms[0].Cached);
    }

    [TestMethod]
    public void StringsWithBracesAndEscapedQuotesDoNotSplitObjects()
    {
        var progress = BuildProgress.Read(
        [
            "{",
            "  \"vertexes\": [ { \"digest\": \"sha256:1\", \"name\": \"[2/2] RUN echo \\\"}{\\\" \\\\\", \"cached\": true,",
            "  \"started\": \"2026-01-01T00:00:00Z\", \"completed\": \"2026-01-01T00:00:02.5Z\" } ]",
            "}",
            "{\"vertexes\":[{\"digest\":\"sha256:2\",\"name\":\"[1/2] FROM x\",\"started\":\"2026-01-01T00:00:00Z\",\"completed\":\"2026-01-01T00:00:01Z\"}]}",
        ]);
        var report = BuildReport.Create(progress, ["linux/amd64"], null, null, []);
        var platform = report.Platforms.Single();
        Assert.AreEqual(("linux/amd64", 2, 1, 2.5), (platform.Platform, platform.Steps, platform.Cached, platform.Seconds));
        Assert.AreEqual("[2/2] RUN echo \"}{\" \\", platform.StepList[0].Name);
    }

    [TestMethod]
    public void StepsSharedByBothPlatformsCountForEach()
    {
        // BuildKit runs the build stage's COPY lines once for both targets and names them after one platform.
        static string Step(int n, string name, bool cached) =>
            $"{{\"vertexes\":[{{\"digest\":\"sha256:{n}\",\"name\":\"{name}\",\"cached\":{(cached ? "true" : "false")},\"started\":\"2026-01-01T00:00:00Z\",\"completed\":\"2026-01-01T00:00:01Z\"}}]}}";
        var progress = BuildProgress.Read(
        [
            Step(1, "[linux/amd64 build 1/4] FROM sdk", true),
            Step(2, "[linux/amd64->arm64 build 2/4] COPY [a.csproj, ./]", true),
            Step(3, "[linux/amd64 build 3/4] RUN dotnet restore -a amd64", true),
            Step(4, "[linux/amd64->arm64 build 3/4] RUN dotnet restore -a arm64", true),
            Step(5, "[linux/amd64 build 4/4] RUN dotnet publish -a amd64", false),
            Step(6, "[linux/amd64->arm64 build 4/4] RUN dotnet publish -a arm64", false),
            Step(7, "[linux/amd64 final 1/2] FROM aspnet", true),
            Step(8, "[linux/arm64 final 1/2] FROM aspnet", true),
            Step(9, "[linux/amd64 final 2/2] COPY --from=build /app .", false),
            Step(10, "[linux/arm64 final 2/2] COPY --from=build /app .", false),
        ]);
        var report = BuildReport.Create(progress, Platforms, null, null, []);
        foreach (var platform in report.Platforms)
        {
            Assert.AreEqual((6, 4), (platform.Steps, platform.Cached), platform.Platform + ":\n" + string.Join("\n", platform.StepList));
        }
    }

    [TestMethod]
    [DataRow("linux/amd64->arm64", "linux/arm64")]
    [DataRow("linux/amd64->arm/v7", "linux/arm/v7")]
    [DataRow("linux/arm64", "linux/arm64")]
    public void CrossStagesCountForTheirTarget(string reported, string target) => Assert.AreEqual(target, BuildReport.TargetPlatform(reported));

    [TestMethod]
    public void JsonAndOpenMetrics()
    {
        var report = Report("cached-build-cache-export-failed.rawjson", "127.0.0.1:1/e2e/nowhere:x");

        using var json = JsonDocument.Parse(BuildReportWriter.ToJson(report));
        Assert.AreEqual(3, json.RootElement.GetProperty("platforms")[1].GetProperty("cached").GetInt32());
        Assert.IsFalse(json.RootElement.GetProperty("caches").EnumerateArray().Single(c => c.GetProperty("direction").GetString() == "export").GetProperty("succeeded").GetBoolean());

        var metrics = BuildReportWriter.ToOpenMetrics(report);
        StringAssert.EndsWith(metrics, "\n# EOF\n");
        StringAssert.Contains(metrics, "# TYPE stevedore_build_steps gauge\n");
        StringAssert.Contains(metrics, "stevedore_build_steps{image=\"127.0.0.1:5000/e2e/rawjson:x\",platform=\"linux/arm64\"} 5\n");
        StringAssert.Contains(metrics, "stevedore_build_steps_cached{image=\"127.0.0.1:5000/e2e/rawjson:x\",platform=\"linux/amd64\"} 3\n");
        StringAssert.Contains(metrics, "stevedore_build_steps_cached_ratio{image=\"127.0.0.1:5000/e2e/rawjson:x\",platform=\"linux/amd64\"} 0.6\n");
        StringAssert.Contains(metrics, "stevedore_build_cache_success{image=\"127.0.0.1:5000/e2e/rawjson:x\",direction=\"export\",cache=\"127.0.0.1:1/e2e/nowhere:x\"} 0\n");
        Assert.IsTrue(metrics.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).All(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^[a-z_]+\{[^}]*\} [0-9.]+$")), metrics);
    }
}
