using System.Text.Json.Nodes;
using Stevedore.Testing;

namespace Stevedore.Templates.Tests;

/// <summary>
/// README.md's quick start as written (<see cref="ReadmeQuickStart"/>): pack, `dotnet new install` the packed templates,
/// `dotnet new stevedore-webapi` in an empty folder outside the repository, `dotnet publish`, `docker run` each
/// platform's image and ask it its architecture. Only this machine's unavoidable differences are put in: the clone is
/// this checkout, the registry is the local one (no login), the publish adds the stand-in base images and host
/// network, containers share the host's network; templates install into a `DOTNET_CLI_HOME` of the test's own.
/// </summary>
[TestClass]
public sealed class TemplateQuickStartTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void TheReadmesQuickStartRunsFromAnEmptyFolderOutsideTheRepository()
    {
        RegistryImage.RequireStandIn("dotnet/sdk:10.0");
        RegistryImage.RequireStandIn("dotnet/aspnet:10.0");
        var quickStart = ReadmeQuickStart.Read();
        // Under QEMU .NET's W^X double mapping can crash the app: the README's arm64 line must say so for a user's machine too.
        StringAssert.Contains(quickStart.DockerRuns.Single(l => l.Contains("linux/arm64", StringComparison.Ordinal)), "-e DOTNET_EnableWriteXorExecute=0");
        var root = InstalledTemplates.NewFolder("readme");
        var work = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
        var ns = "quickstart-" + Guid.NewGuid().ToString("N")[..12];
        var registry = $"{Repo.Registry}/{ns}";

        var script = quickStart.Setup
            .Where(line => !line.StartsWith("docker login ", StringComparison.Ordinal)) // the local registry takes no login
            .Select(line => line.StartsWith("stevedore=", StringComparison.Ordinal) ? $"stevedore='{Repo.Root}'" : line)
            .Select(line => line.Replace(ReadmeQuickStart.Registry, registry, StringComparison.Ordinal))
            .Select(line => line.StartsWith("dotnet publish", StringComparison.Ordinal)
                ? $"{ReadmeQuickStart.WithoutComment(line)} -p:ContainerBaseImageRegistry={Repo.Registry} -p:ContainerBuildNetwork=host"
                : line);
        var environment = new Dictionary<string, string?>(EnginePublish.Environment!) { ["DOTNET_CLI_HOME"] = Path.Combine(root, "cli-home") };
        var setup = CommandRunner.Run("bash", ["-euo", "pipefail", "-c", string.Join('\n', script)], work, environment, TimeSpan.FromMinutes(20));
        File.WriteAllText(Path.Combine(root, "quick-start.log"), setup.Output);
        setup.EnsureSuccess();

        var project = Directory.GetDirectories(work).Single();
        var globalJson = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "global.json")))!;
        Assert.AreEqual(PackedSdk.Version, (string?)globalJson["msbuild-sdks"]!["Stevedore.Sdk"], "the templates pin the Stevedore.Sdk they were packed with");
        var repository = $"{ns}/{Path.GetFileName(project).ToLowerInvariant()}";
        var pushed = RegistryImage.Find(repository, "dev");
        Assert.IsNotNull(pushed, $"{Repo.Registry}/{repository}:dev is not in the registry:\n{setup.Output}");
        Assert.IsTrue(pushed.IsIndex, $"the image is a {pushed.MediaType}, not an index");
        CollectionAssert.AreEquivalent(TemplateProject.Platforms, pushed.Platforms.ToArray());

        // By the port the README publishes: the container and the loopback port its app listens on here instead.
        var containers = new Dictionary<int, (RunningContainer Container, int Port)>();
        try
        {
            foreach (var line in quickStart.DockerRuns)
            {
                var (published, port, arguments) = OnHostNetwork(line.Replace(ReadmeQuickStart.Registry, registry, StringComparison.Ordinal));
                containers[published] = (RunningContainer.Run(arguments, arguments[arguments.IndexOf("--platform") + 1]), port);
            }

            CollectionAssert.AreEquivalent(TemplateProject.Platforms, containers.Values.Select(c => c.Container.Platform).ToArray(), "the quick start runs each platform's image");
            Assert.HasCount(containers.Count, quickStart.Requests, "one curl per container");
            foreach (var (url, answer) in quickStart.Requests)
            {
                var uri = new Uri(url);
                var (container, port) = containers[uri.Port];
                // arm64 runs under QEMU: an ASP.NET app takes ~15 s to answer there.
                var body = container.GetWhenReady($"http://127.0.0.1:{port}{uri.PathAndQuery}", TimeSpan.FromMinutes(3));
                Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse(answer), JsonNode.Parse(body)), $"{container.Platform}: the README promises {answer}, the app answered {body}");
            }
        }
        finally
        {
            foreach (var (container, _) in containers.Values)
            {
                container.Dispose();
            }

            CommandRunner.Docker("rmi", $"{Repo.Registry}/{repository}:dev");
        }
    }

    /// <summary>
    /// The README's `docker run … -p 8080:8080 …` on this engine, which has no bridge network: `--network host` with the
    /// app on a free loopback port instead of the published one; no `--rm`, so a crashed container's log can still be read.
    /// </summary>
    private static (int Published, int Port, List<string> Arguments) OnHostNetwork(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.AreEqual("run", words[0], line);
        var publish = words.IndexOf("-p");
        Assert.IsGreaterThan(0, publish, $"`{line}` publishes no port");
        var published = int.Parse(words[publish + 1].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
        var port = RunningApp.FreePort();
        words.RemoveRange(publish, 2);
        words.Remove("--rm");
        words.InsertRange(1, ["--network", "host", "-e", $"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
        return (published, port, words);
    }
}
