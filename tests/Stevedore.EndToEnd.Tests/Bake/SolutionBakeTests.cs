using System.Text.Json;
using System.Text.RegularExpressions;
using Stevedore.EndToEnd.Tests.Caching;
using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Bake;

/// <summary>
/// `dotnet publish Shop.slnx` on the real engine: one docker buildx bake builds both services for both platforms,
/// pushes both indexes, writes each project's report and one summary; a service that does not compile fails the
/// publish naming it; ContainerRunTests runs each project's tests before the bake, and a failing test stops it; a
/// service whose inputs did not change is left out of the next bake while its tag still points to its image.
/// </summary>
[TestClass]
public sealed class SolutionBakeTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void SolutionPublishPushesEveryServiceForBothPlatformsInOneBake()
    {
        var shop = new ShopSample(nameof(SolutionPublishPushesEveryServiceForBothPlatformsInOneBake));

        var result = shop.Publish("publish", "ContainerSharedRestore=true").EnsureSuccess();

        Assert.AreEqual(1, Count(result.Output, "docker buildx bake --file"), "one bake for the solution");
        Assert.AreEqual(0, Count(result.Output, "docker buildx build "), "no project built on its own");
        foreach (var repository in new[] { DotNetSample.Repository, ShopSample.WorkerRepository })
        {
            var pushed = RegistryImage.Find(repository, shop.Api.Tag);
            Assert.IsNotNull(pushed, $"{repository}:{shop.Api.Tag} is not in the registry");
            Assert.IsTrue(pushed.IsIndex, $"{repository} is a {pushed.MediaType}, not an index");
            CollectionAssert.AreEquivalent(EnginePublish.Platforms, pushed.Platforms.ToArray(), repository);
        }

        // Both images start and answer on both platforms (arm64 under QEMU).
        foreach (var (platform, arch) in new[] { ("linux/amd64", "X64"), ("linux/arm64", "Arm64") })
        {
            Assert.AreEqual($"Dotnet worker ships two platforms on {arch}", shop.RunWorker(platform));
            var port = RunningApp.FreePort();
            using var api = RunningContainer.Start(shop.Api.Image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
            var answer = JsonDocument.Parse(api.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3))).RootElement;
            Assert.AreEqual(arch, answer.GetProperty("arch").GetString(), platform);
        }

        // One summary table, each project's own report where its own publish puts it, one OpenMetrics file for both.
        StringAssert.Contains(result.Output, "Stevedore: bake of 2 project(s)");
        StringAssert.Matches(result.Output, new System.Text.RegularExpressions.Regex(@"Api\s+\| linux/amd64,linux/arm64 \| \d+/\d+\s+\| [0-9.]+ s\s+\| pushed\s+\| sha256:[0-9a-f]{64}"));
        StringAssert.Matches(result.Output, new System.Text.RegularExpressions.Regex(@"Worker\s+\| linux/amd64,linux/arm64 \| \d+/\d+\s+\| [0-9.]+ s\s+\| pushed\s+\| sha256:[0-9a-f]{64}"));
        foreach (var project in new[] { "Api", "Worker" })
        {
            var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(shop.Api.Folder, "src", project, "obj", "Release", "net10.0", "stevedore", "stevedore-report.json"))).RootElement;
            Assert.AreEqual(2, report.GetProperty("platforms").GetArrayLength(), project);
            Assert.IsTrue(report.GetProperty("platforms")[0].GetProperty("steps").GetInt32() > 3, project + ": its own steps, not bake's");
            StringAssert.StartsWith(report.GetProperty("digest").GetString(), "sha256:");
        }

        var metrics = File.ReadAllText(Path.Combine(shop.BakeFolder, "stevedore-report.prom"));
        StringAssert.Contains(metrics, $"stevedore_build_steps{{image=\"{shop.Api.Image}\",platform=\"linux/arm64\"}}");
        StringAssert.Contains(metrics, $"stevedore_build_steps{{image=\"{shop.WorkerImage}\",platform=\"linux/arm64\"}}");
        Assert.AreEqual(1, Count(metrics, "# TYPE stevedore_build_steps gauge"), "each family once");

        // Shared work: the steps BuildKit ran once for both services (same digest under both targets), measured.
        var shared = SharedSteps(Path.Combine(shop.BakeFolder, "bake-progress.rawjson"));
        Console.WriteLine($"steps shared by Api and Worker ({shared.Count}):\n  " + string.Join("\n  ", shared));
        // Both compile once, so with ContainerSharedRestore=true they share one restore (docs/scale.md): the same restore inputs and one `dotnet restore`
        // of both projects, one vertex for both targets.
        Assert.IsTrue(shared.Any(s => s.Contains("FROM ", StringComparison.Ordinal)), "the build image is resolved once for both");
        Assert.AreEqual(1, shared.Count(s => s.Contains("RUN dotnet restore", StringComparison.Ordinal) && s.Contains("Api.csproj|", StringComparison.Ordinal) && s.Contains("Worker.csproj", StringComparison.Ordinal)),
            "one restore of both projects, run once for both targets");
    }

    [TestMethod]
    public void UnchangedServiceIsLeftOutOfTheNextBakeUntilItsTagMoves()
    {
        var shop = new ShopSample(nameof(UnchangedServiceIsLeftOutOfTheNextBakeUntilItsTagMoves));
        shop.Publish("first").EnsureSuccess();
        var api = RegistryTags.Digest(DotNetSample.Repository, shop.Api.Tag);
        var worker = RegistryTags.Digest(ShopSample.WorkerRepository, shop.Api.Tag);
        Assert.IsNotNull(api);
        Assert.IsNotNull(worker);

        // Only the worker is edited: the Api's image inputs are the same, its tag still points to its image.
        shop.Write("src/Worker/Program.cs", "System.Console.WriteLine(\"edited worker on \" + System.Runtime.InteropServices.RuntimeInformation.OSArchitecture);\n");
        var second = shop.Publish("second").EnsureSuccess();

        StringAssert.Contains(second.Output, $"left out of the bake: Api ({api})");
        StringAssert.Contains(second.Output, ": Worker (Worker)", "the bake definition names the worker alone");
        // The table pads each column to its widest cell (the worker's time may take two digits).
        StringAssert.Matches(second.Output, new Regex($@"Api\s+\| linux/amd64,linux/arm64 \| -\s+\| 0\.0 s\s+\| unchanged\s+\| {api}"));
        StringAssert.Matches(second.Output, new Regex(@"Worker\s+\| linux/amd64,linux/arm64 \| \d+/\d+\s+\| [0-9.]+ s\s+\| pushed"));
        Assert.AreEqual(api, RegistryTags.Digest(DotNetSample.Repository, shop.Api.Tag), "the Api's tag did not move");
        Assert.AreNotEqual(worker, RegistryTags.Digest(ShopSample.WorkerRepository, shop.Api.Tag), "the worker was pushed again");
        Assert.AreEqual("edited worker on Arm64", shop.RunWorker("linux/arm64"));

        // Someone moves the Api's tag: the next publish bakes the Api again, and the same inputs give the same image.
        CommandRunner.Docker("buildx", "imagetools", "create", "-t", shop.Api.Image, shop.WorkerImage).EnsureSuccess();
        Assert.AreNotEqual(api, RegistryTags.Digest(DotNetSample.Repository, shop.Api.Tag));
        var third = shop.Publish("third").EnsureSuccess();

        StringAssert.Contains(third.Output, "left out of the bake: Worker (");
        StringAssert.Contains(third.Output, ": Api (Api)");
        Assert.AreEqual(api, RegistryTags.Digest(DotNetSample.Repository, shop.Api.Tag), "the tag points to the Api's image again");

        // ContainerSkipUnchanged=false bakes every project.
        var fourth = shop.Publish("fourth", "ContainerSkipUnchanged=false").EnsureSuccess();
        Assert.AreEqual(0, Count(fourth.Output, "left out of the bake"));
        StringAssert.Contains(fourth.Output, ": Api (Api), Worker (Worker)");
    }

    [TestMethod]
    public void ServiceThatDoesNotCompileFailsThePublishNamingIt()
    {
        var shop = new ShopSample(nameof(ServiceThatDoesNotCompileFailsThePublishNamingIt));
        shop.Write("src/Worker/Program.cs", "System.Console.WriteLine(DoesNotExist);\n");

        var result = shop.Publish("broken");

        Assert.AreNotEqual(0, result.ExitCode, "the publish failed");
        StringAssert.Contains(result.Output, "error STV1401: The image of project 'Worker' (bake target 'Worker')");
        Assert.IsFalse(result.Output.Contains("STV1401: The image of project 'Api'", StringComparison.Ordinal), "the Api built");
        Assert.IsFalse(result.Output.Contains("   at ", StringComparison.Ordinal), "no stack trace");
        Assert.IsNull(RegistryImage.Find(ShopSample.WorkerRepository, shop.Api.Tag), "the worker's tag was not pushed");
        StringAssert.Matches(result.Output, new System.Text.RegularExpressions.Regex(@"Worker\s+\|.*\| FAILED"));
    }

    [TestMethod]
    public void ContainerRunTestsRunsEachProjectsTestsBeforeTheBake()
    {
        var shop = new ShopSample(nameof(ContainerRunTestsRunsEachProjectsTestsBeforeTheBake));

        var result = shop.Publish("tests", "ContainerRunTests=true").EnsureSuccess();

        // tests/Api.Tests (listed in Sample.slnx beside Shop.slnx) tests the Api, and through it the Greetings library the
        // worker ships too: it gates both images, each project's test stage running it once.
        Assert.AreEqual(2, Count(result.Output, "Stevedore: tests passed in the container: 2 passed, 0 skipped"), "each project's tests passed");
        Assert.IsTrue(result.Output.IndexOf("tests passed in the container", StringComparison.Ordinal) < result.Output.IndexOf("docker buildx bake --file", StringComparison.Ordinal),
            "the tests ran before the bake");
        Assert.AreEqual(1, Count(result.Output, "docker buildx bake --file"), "one bake for the solution");
        var trx = File.ReadAllText(Path.Combine(shop.Api.Folder, "src", "Api", "obj", "Release", "net10.0", "stevedore", "test-results", "Api.Tests.trx"));
        Assert.AreEqual(2, trx.Split("outcome=\"Passed\"").Length - 1, trx);
        Assert.IsNotNull(RegistryImage.Find(DotNetSample.Repository, shop.Api.Tag), "the api was pushed");
        Assert.IsNotNull(RegistryImage.Find(ShopSample.WorkerRepository, shop.Api.Tag), "the worker was pushed");
    }

    [TestMethod]
    public void AFailingTestStopsTheSolutionPublishBeforeTheBake()
    {
        var shop = new ShopSample(nameof(AFailingTestStopsTheSolutionPublishBeforeTheBake));
        shop.Api.Edit("tests/Api.Tests/GreetingTests.cs", code => code.Replace("\"Dotnet api ships one platform\"", "\"Dotnet api ships 1 platform\"", StringComparison.Ordinal));

        var result = shop.Publish("failing-tests", "ContainerRunTests=true");

        Assert.AreNotEqual(0, result.ExitCode, "the publish failed");
        StringAssert.Contains(result.Output, "error STV1301: 1 of 2 tests failed in the container (ContainerRunTests), so no image was built or pushed: Api.Tests.GreetingTests.OnePlatformIsSingular;");
        Assert.AreEqual(0, Count(result.Output, "docker buildx bake --file"), "no bake ran");
        Assert.IsNull(RegistryImage.Find(DotNetSample.Repository, shop.Api.Tag), "the api was not pushed");
        Assert.IsNull(RegistryImage.Find(ShopSample.WorkerRepository, shop.Api.Tag), "nor the worker");
    }

    // Vertex digests whose names carry both targets' prefixes in bake's rawjson output.
    private static List<string> SharedSteps(string progressFile)
    {
        var names = new Dictionary<string, HashSet<string>>();
        // rawjson prints each status object indented, starting with a "{" line of its own.
        foreach (var part in System.Text.RegularExpressions.Regex.Split(File.ReadAllText(progressFile), @"(?m)^(?=\{)"))
        {
            if (!part.StartsWith('{'))
            {
                continue;
            }

            using var document = JsonDocument.Parse(part);
            if (!document.RootElement.TryGetProperty("vertexes", out var vertexes))
            {
                continue;
            }

            foreach (var vertex in vertexes.EnumerateArray())
            {
                var name = vertex.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
                var digest = vertex.GetProperty("digest").GetString()!;
                if (!names.TryGetValue(digest, out var set))
                {
                    names[digest] = set = [];
                }

                set.Add(name);
            }
        }

        return [.. names.Values.Where(n => n.Any(x => x.StartsWith("[Api", StringComparison.Ordinal)) && n.Any(x => x.StartsWith("[Worker", StringComparison.Ordinal)))
            .Select(n => n.First(x => x.StartsWith("[Api", StringComparison.Ordinal)))];
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
