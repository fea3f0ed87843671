using System.Text.Json;
using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.EndToEnd.Tests.Go;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>
/// A CI runner shared by jobs: four different projects (two .NET and two Go sample copies, each with its own source
/// change) publish at once for both platforms against one engine and one registry of the test's own, twice in a row.
/// Every publish succeeds, every tag is a whole two-platform image with the digest its publish reported, and every
/// stevedore-report.json is whole JSON describing both platforms. Heavy: run it on its own.
/// </summary>
[TestClass]
[DoNotParallelize]
[EngineWide]
public sealed class SharedRunnerLoadTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    private static string Marker(PinnedSample project) => "load " + project.Tag;

    [TestMethod]
    public void FourProjectsPublishAtOnceTwiceInARow()
    {
        var dotnetOne = new DotNetSample("load-dotnet-1");
        var dotnetTwo = new DotNetSample("load-dotnet-2");
        var goOne = new GoSample("load-go-1");
        var goTwo = new GoSample("load-go-2");
        PinnedSample[] projects = [dotnetOne, dotnetTwo, goOne, goTwo];
        // Each copy's own marker, of a length of its own: buildx 0.13 shares the uploaded context between builds whose
        // context folders have the same name ("dotnet", "go") and skips files of the same size and modification time,
        // so same-length edits written within one timestamp tick would build one copy from the other's source (see
        // docs/diagnostics.md). This test is about publishes sharing an engine and a registry, not that bug.
        var copy = 0;
        foreach (var dotnet in new[] { dotnetOne, dotnetTwo })
        {
            dotnet.Edit("src/Greetings/Greeter.cs", code => code.Replace(" ships ", $" {Marker(dotnet)}{new string('!', ++copy)} ships "));
        }

        foreach (var go in new[] { goOne, goTwo })
        {
            go.Edit("main.go", code => code.Replace("\"go-api\"", $"\"{Marker(go)}{new string('!', ++copy)}\""));
        }

        using var registry = new OwnRegistry(Path.Combine(dotnetOne.Root, "registry"));
        for (var round = 1; round <= 2; round++)
        {
            var started = DateTime.UtcNow;
            var publishes = projects.Select(p => Task.Run(() => p.Publish($"ContainerRegistry={registry.Address}"))).ToArray();
            Task.WaitAll(publishes);
            Console.WriteLine($"LOAD | round {round} | 4 publishes at once | {(DateTime.UtcNow - started).TotalSeconds:0}s");

            foreach (var project in projects)
            {
                var repository = project is GoSample ? GoSample.Repository : DotNetSample.Repository;
                var tagged = CompleteImage.Check(registry.Address, repository, project.Tag, PinnedSample.Platforms);
                Assert.IsNotNull(tagged, $"round {round}: {repository}:{project.Tag} was not pushed");

                var report = Directory.EnumerateFiles(project.Folder, "stevedore-report.json", SearchOption.AllDirectories).Single();
                using var json = JsonDocument.Parse(File.ReadAllText(report)); // throws on a cut-off file
                Assert.AreEqual(tagged, json.RootElement.GetProperty("digest").GetString(), $"round {round}: {report} names another image than the tag");
                CollectionAssert.AreEquivalent(
                    PinnedSample.Platforms.ToList(),
                    json.RootElement.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("platform").GetString()).ToList(),
                    $"round {round}: {report}");
                var metrics = File.ReadAllText(Path.ChangeExtension(report, ".prom"));
                StringAssert.EndsWith(metrics.TrimEnd(), "# EOF", $"round {round}: the metrics beside {report} are cut short");
                foreach (var platform in PinnedSample.Platforms)
                {
                    Assert.IsTrue(
                        CompleteImage.Holds(registry.Address, repository, project.Tag, platform, Marker(project)),
                        $"round {round}: {repository}:{project.Tag} ({platform}) was not built from its own source: its layers lack '{Marker(project)}'");
                }

                Console.WriteLine($"LOAD | round {round} | {repository}:{project.Tag} → {tagged} | built from its own source, report whole");
            }
        }
    }
}
