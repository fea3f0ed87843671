using Stevedore.Tasks.Platforms;
using Stevedore.Tasks.Plan;
using Stevedore.Tasks.Engine;
using Stevedore.Tasks.Files;

namespace Stevedore.Tasks.Tests.Engine;

[TestClass]
public sealed class CheckBuildEngineTests
{
    /// <summary>
    /// Answers each docker query with captured output, keyed by its whole argument list or else by its first two
    /// arguments, and records the queries in order.
    /// </summary>
    private sealed class ScriptedCli(Dictionary<string, ProcessResult> answers) : DockerCli
    {
        public List<string> Calls { get; } = [];

        public override string? Find() => "/usr/bin/docker";

        public override ProcessResult Run(string docker, IEnumerable<string> arguments, TimeSpan timeout)
        {
            var line = string.Join(' ', arguments);
            Calls.Add(line);
            return answers.TryGetValue(line, out var answer) ? answer : answers[string.Join(' ', arguments.Take(2))];
        }
    }

    private static (bool Ok, RecordingBuildEngine Log) Check(string? builder, ProcessResult inspect, string? pingProblem = null, string? registryProblem = null, string registry = "127.0.0.1:5000", List<string>? probed = null)
    {
        var (ok, log, _) = Run(builder, new()
        {
            ["buildx inspect"] = inspect,
            ["info --format"] = new(0, """[["driver-type","io.containerd.snapshotter.v1"]]""", string.Empty),
        }, pingProblem, registryProblem, registry, probed);
        return (ok, log);
    }

    private static (bool Ok, RecordingBuildEngine Log, ScriptedCli Cli) Run(string? builder, Dictionary<string, ProcessResult> answers, string? pingProblem = null, string? registryProblem = null, string registry = "127.0.0.1:5000", List<string>? probed = null, EngineAnswer? engine = null, string? cacheFile = null)
    {
        var log = new RecordingBuildEngine();
        var cli = new ScriptedCli(answers);
        var task = new CheckBuildEngine
        {
            BuildEngine = log,
            Model = new BuildPlan
            {
                Project = "app",
                Platforms = [ContainerPlatform.Parse("linux/amd64"), ContainerPlatform.Parse("linux/arm64")],
                Dockerfile = "Dockerfile",
                Context = ".",
                Builder = builder,
                Registry = string.IsNullOrWhiteSpace(registry) ? null : registry,
                Push = !string.IsNullOrWhiteSpace(registry),
            },
            Cli = cli,
            CacheFile = cacheFile,
            AskEngine = _ => engine ?? new(pingProblem, null),
            ProbeRegistry = r =>
            {
                probed?.Add(r);
                return registryProblem;
            },
        };
        return (task.Execute(), log, cli);
    }

    // Captured from this project's engine (buildx 0.13.1): `docker buildx create --driver docker-container …` without
    // --bootstrap, then `docker buildx inspect repro`.
    private const string InactiveContainerBuilder = """
        Name:          repro
        Driver:        docker-container
        Last Activity: 2026-12-01 03:14:35 +0000 UTC

        Nodes:
        Name:                  repro0
        Endpoint:              unix:///var/run/docker.sock
        Driver Options:        image="127.0.0.1:5000/moby/buildkit:v0.13" network="host"
        Status:                inactive
        BuildKit daemon flags: --allow-insecure-entitlement=network.host
        """;

    // The same builder once started (captured: eng/buildkit-image.sh's BuildKit image, QEMU for arm64).
    private const string RunningContainerBuilder = """
        Name:          repro
        Driver:        docker-container
        Last Activity: 2026-12-01 03:41:59 +0000 UTC

        Nodes:
        Name:                  repro0
        Endpoint:              unix:///var/run/docker.sock
        Driver Options:        network="host" image="127.0.0.1:5000/moby/buildkit:v0.13"
        Status:                running
        BuildKit daemon flags: --allow-insecure-entitlement=network.host
        BuildKit version:      v0.13
        Platforms:             linux/amd64, linux/arm64, linux/386
        Labels:
         org.mobyproject.buildkit.worker.executor:         oci
         org.mobyproject.buildkit.worker.hostname:         vm
         org.mobyproject.buildkit.worker.network:          host
         org.mobyproject.buildkit.worker.oci.process-mode: sandbox
         org.mobyproject.buildkit.worker.selinux.enabled:  false
         org.mobyproject.buildkit.worker.snapshotter:      overlayfs
        GC Policy rule#0:
         All:           false
         Filters:       type==source.local,type==exec.cachemount,type==source.git.checkout
         Keep Duration: 48h0m0s
         Keep Bytes:    488.3MiB
        """;

    private static (bool Ok, RecordingBuildEngine Log, ScriptedCli Cli) CheckNamed(Dictionary<string, ProcessResult> answers) => Run("repro", answers);

    [TestMethod]
    public void AnInactiveContainerBuilderIsStartedAndThenChecked()
    {
        var (ok, log, cli) = CheckNamed(new()
        {
            ["buildx inspect --builder repro"] = new(0, InactiveContainerBuilder, string.Empty),
            ["buildx inspect --builder repro --bootstrap"] = new(0, "#1 [internal] booting buildkit\n#1 DONE 2.1s\n" + RunningContainerBuilder, string.Empty),
        });

        Assert.IsTrue(ok, string.Join("\n", log.Errors.Select(e => e.Code + ": " + e.Message)));
        CollectionAssert.AreEqual(new[] { "buildx inspect --builder repro", "buildx inspect --builder repro --bootstrap" }, cli.Calls);
        Assert.IsTrue(log.Messages.Any(m => m.Message!.Contains("builder repro was not running; started it", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void ARunningContainerBuilderIsNotBootstrapped()
    {
        var (ok, _, cli) = CheckNamed(new() { ["buildx inspect --builder repro"] = new(0, RunningContainerBuilder, string.Empty) });

        Assert.IsTrue(ok);
        CollectionAssert.AreEqual(new[] { "buildx inspect --builder repro" }, cli.Calls);
    }

    [TestMethod]
    public void AContainerBuilderThatCannotStartIsStv2104()
    {
        var (ok, log, _) = CheckNamed(new()
        {
            ["buildx inspect --builder repro"] = new(0, InactiveContainerBuilder, string.Empty),
            ["buildx inspect --builder repro --bootstrap"] = new(1, "#1 [internal] booting buildkit\n", "ERROR: failed to pull 127.0.0.1:5000/moby/buildkit:v0.13: not found\n"),
        });

        Assert.IsFalse(ok);
        StringAssert.StartsWith(OnlyError(log), "STV2104: The buildx builder 'repro' cannot be used: ERROR: failed to pull 127.0.0.1:5000/moby/buildkit:v0.13: not found");
    }

    [TestMethod]
    public void NodeStatesAreRead()
    {
        Assert.IsTrue(BuildxBuilder.Parse(InactiveContainerBuilder).NotRunning);
        Assert.IsTrue(BuildxBuilder.Parse(InactiveContainerBuilder.Replace("inactive", "stopped")).NotRunning);
        var running = BuildxBuilder.Parse(RunningContainerBuilder);
        Assert.IsFalse(running.NotRunning);
        Assert.AreEqual("docker-container", running.Driver);
        CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/arm64", "linux/386" }, running.Platforms.ToArray());
    }

    private static string OnlyError(RecordingBuildEngine log) => log.Errors.Single().Code + ": " + log.Errors.Single().Message;

    [TestMethod]
    public void NoEngineIsStv2101NamingTheEndpoint()
    {
        var (ok, log) = Check(null, new(0, string.Empty, string.Empty), "Connection refused");
        Assert.IsFalse(ok);
        StringAssert.StartsWith(OnlyError(log), "STV2101: No Docker engine answers at '");
        StringAssert.Contains(OnlyError(log), "(Connection refused)");
    }

    private const string DockerDriverBuilder = "Name: default\nDriver: docker\nPlatforms: linux/amd64, linux/arm64\n";

    [TestMethod]
    public void TheEngineApiTellsTheImageStoreWithoutADockerInfoCall()
    {
        var (ok, log, cli) = Run(null, new() { ["buildx inspect"] = new(0, DockerDriverBuilder, string.Empty) }, engine: new(null, true));
        Assert.IsTrue(ok, string.Join("\n", log.Errors.Select(e => e.Code + ": " + e.Message)));
        CollectionAssert.AreEqual(new[] { "buildx inspect" }, cli.Calls);
    }

    [TestMethod]
    public void TheEngineApiSayingNoImageStoreRefusesTwoPlatformsOnTheDockerDriver()
    {
        var (ok, log, cli) = Run(null, new() { ["buildx inspect"] = new(0, DockerDriverBuilder, string.Empty) }, engine: new(null, false));
        Assert.IsFalse(ok);
        StringAssert.StartsWith(OnlyError(log), "STV2106: The buildx builder 'default' uses the docker driver without the containerd image store");
        CollectionAssert.AreEqual(new[] { "buildx inspect" }, cli.Calls);
    }

    [TestMethod]
    public void WhenOnlyTheCliCanAskTheEngineDockerInfoTellsTheImageStore()
    {
        var (ok, _, cli) = Run(null, new()
        {
            ["buildx inspect"] = new(0, DockerDriverBuilder, string.Empty),
            ["info --format"] = new(0, """[["Backing Filesystem","extfs"]]""", string.Empty),
        }, engine: new(null, null));
        Assert.IsFalse(ok);
        CollectionAssert.AreEqual(new[] { "buildx inspect", "info --format {{json .DriverStatus}}" }, cli.Calls);
    }

    [TestMethod]
    public void DriverStatusPairsFromTheApiAreReadAsTheCliJsonIs()
    {
        Assert.IsTrue(DockerDriverStatus.UsesContainerdImageStore([["driver-type", "io.containerd.snapshotter.v1"]]));
        Assert.IsFalse(DockerDriverStatus.UsesContainerdImageStore([["Backing Filesystem", "extfs"], ["Supports d_type", "true"]]));
        Assert.IsTrue(DockerDriverStatus.UsesContainerdImageStore("""[["driver-type","io.containerd.snapshotter.v1"]]"""));
        Assert.IsFalse(DockerDriverStatus.UsesContainerdImageStore("""[["driver-type",1]]"""));
    }

    [TestMethod]
    public void MissingPluginIsStv2102()
    {
        // docker 28 with no buildx plugin, exit code 1.
        var (ok, log) = Check(null, new(1, string.Empty, "docker: unknown command: docker buildx\n\nRun 'docker --help' for more information\n"));
        Assert.IsFalse(ok);
        StringAssert.StartsWith(OnlyError(log), "STV2102: The docker buildx plugin is not installed (docker: unknown command: docker buildx");
    }

    [TestMethod]
    public void UnknownBuilderIsStv2103()
    {
        var (ok, log) = Check("nope", new(1, string.Empty, "ERROR: no builder \"nope\" found\n"));
        Assert.IsFalse(ok);
        StringAssert.StartsWith(OnlyError(log), "STV2103: The buildx builder 'nope' set in ContainerBuilder does not exist");
    }

    [TestMethod]
    public void ABuilderReportingAnErrorIsStv2104() =>
        StringAssert.StartsWith(
            OnlyError(Check(null, new(0, "Name: default\nDriver: \nError: Cannot connect to the Docker daemon at unix:///x.sock.\n", string.Empty)).Log),
            "STV2104: The buildx builder 'default' cannot be used: Cannot connect to the Docker daemon at unix:///x.sock.;");

    [TestMethod]
    public void AnAbleBuilderPasses()
    {
        var (ok, log) = Check(null, new(0, "Name: default\nDriver: docker\nPlatforms: linux/amd64, linux/arm64\n", string.Empty));
        Assert.IsTrue(ok);
        Assert.IsEmpty(log.Errors);
    }

    [TestMethod]
    public void ARefusingRegistryIsStv3101()
    {
        var (ok, log) = Check(null, new(0, "Name: default\nDriver: docker\nPlatforms: linux/amd64, linux/arm64\n", string.Empty), registryProblem: "Connection refused");
        Assert.IsFalse(ok);
        StringAssert.StartsWith(OnlyError(log), "STV3101: The registry '127.0.0.1:5000' (ContainerRegistry) cannot be reached (Connection refused);");
    }

    [TestMethod]
    [DataRow("127.0.0.1:5000/my-org", "127.0.0.1:5000")]
    [DataRow("ghcr.io/my-org", "ghcr.io")]
    [DataRow("harbor.example.com/project/team", "harbor.example.com")]
    public void ARegistryWithAPathIsProbedAtItsHost(string registry, string host)
    {
        var probed = new List<string>();
        var (ok, _) = Check(null, new(0, "Name: default\nDriver: docker\nPlatforms: linux/amd64, linux/arm64\n", string.Empty), registry: registry, probed: probed);
        Assert.IsTrue(ok);
        CollectionAssert.AreEqual(new[] { host }, probed);
    }

    [TestMethod]
    public void ARefusingRegistryWithAPathIsStv3101NamingWhatTheUserWrote()
    {
        var (ok, log) = Check(null, new(0, "Name: default\nDriver: docker\nPlatforms: linux/amd64, linux/arm64\n", string.Empty), registryProblem: "Connection refused", registry: "127.0.0.1:5999/my-org");
        Assert.IsFalse(ok);
        StringAssert.StartsWith(OnlyError(log), "STV3101: The registry '127.0.0.1:5999/my-org' (ContainerRegistry) cannot be reached (Connection refused);");
    }

    [TestMethod]
    [DataRow("127.0.0.1:5000", "127.0.0.1", 5000)]
    [DataRow("registry.example.com", "registry.example.com", 443)]
    [DataRow("ghcr.io", "ghcr.io", 443)]
    [DataRow("docker.io", "registry-1.docker.io", 443)]
    [DataRow("[::1]:5000", "::1", 5000)]
    public void RegistryHostAndPort(string registry, string host, int port) =>
        Assert.AreEqual((host, port), RegistryProbe.HostAndPort(registry));

    [TestMethod]
    [DataRow("tcp://127.0.0.1:2376", "1", null, true)]
    [DataRow("tcp://127.0.0.1:2376", null, "/certs/client", true)]
    [DataRow("https://127.0.0.1:2376", null, null, true)]
    [DataRow("tcp://127.0.0.1:2375", null, null, false)]
    [DataRow("unix:///var/run/docker.sock", "1", null, false)]
    public void TlsEnginesAreCheckedByTheCliNotAPlainPing(string endpoint, string? verify, string? certPath, bool tls)
    {
        var environment = new Dictionary<string, string?> { ["DOCKER_TLS_VERIFY"] = verify, ["DOCKER_CERT_PATH"] = certPath };
        Assert.AreEqual(tls, CheckBuildEngine.UsesTls(new Uri(endpoint), name => environment.GetValueOrDefault(name)));
    }

    private static readonly EngineAnswer KnownEngine = new(null, true, "ENGINE-1|engine|28.0.0");

    [TestMethod]
    public void ASecondPreflightTakesTheKeptBuilderAndStillAsksTheEngine()
    {
        using var tree = new TempTree();
        var cache = Path.Combine(tree.Root, BuilderCache.FileName);
        var answers = new Dictionary<string, ProcessResult> { ["buildx inspect"] = new(0, DockerDriverBuilder, string.Empty) };
        var asked = 0;
        EngineAnswer Engine() { asked++; return KnownEngine; }

        var (first, _, firstCli) = Run(null, answers, engine: Engine(), cacheFile: cache);
        var (second, log, secondCli) = Run(null, answers, engine: Engine(), cacheFile: cache);

        Assert.IsTrue(first && second, string.Join("\n", log.Errors.Select(e => e.Code + ": " + e.Message)));
        CollectionAssert.AreEqual(new[] { "buildx inspect" }, firstCli.Calls);
        Assert.IsEmpty(secondCli.Calls);
        Assert.AreEqual(2, asked);
    }

    [TestMethod]
    public void AnEngineThatWentAwayIsStv2101EvenWithAKeptBuilder()
    {
        using var tree = new TempTree();
        var cache = Path.Combine(tree.Root, BuilderCache.FileName);
        var answers = new Dictionary<string, ProcessResult> { ["buildx inspect"] = new(0, DockerDriverBuilder, string.Empty) };
        Run(null, answers, engine: KnownEngine, cacheFile: cache);

        var (ok, log, _) = Run(null, answers, engine: new("Connection refused", null), cacheFile: cache);

        Assert.IsFalse(ok);
        StringAssert.StartsWith(OnlyError(log), "STV2101: No Docker engine answers at '");
    }

    [TestMethod]
    public void AnotherEngineOrNoKnownEngineAsksBuildxAgain()
    {
        foreach (var other in new EngineAnswer[] { new(null, true, "ENGINE-2|engine|28.0.0"), new(null, true, "ENGINE-1|engine|28.1.0"), new(null, true) })
        {
            using var tree = new TempTree();
            var cache = Path.Combine(tree.Root, BuilderCache.FileName);
            var answers = new Dictionary<string, ProcessResult> { ["buildx inspect"] = new(0, DockerDriverBuilder, string.Empty) };
            Run(null, answers, engine: KnownEngine, cacheFile: cache);

            var (ok, _, cli) = Run(null, answers, engine: other, cacheFile: cache);

            Assert.IsTrue(ok);
            CollectionAssert.AreEqual(new[] { "buildx inspect" }, cli.Calls, other.Identity);
        }
    }

    [TestMethod]
    public void AFailedPreflightKeepsNothing()
    {
        using var tree = new TempTree();
        var cache = Path.Combine(tree.Root, BuilderCache.FileName);
        var answers = new Dictionary<string, ProcessResult> { ["buildx inspect"] = new(1, string.Empty, "ERROR: no builder \"nope\" found\n") };

        for (var i = 0; i < 2; i++)
        {
            var (ok, log, cli) = Run("nope", answers, engine: KnownEngine, cacheFile: cache);
            Assert.IsFalse(ok);
            StringAssert.StartsWith(OnlyError(log), "STV2103: The buildx builder 'nope' set in ContainerBuilder does not exist");
            CollectionAssert.AreEqual(new[] { "buildx inspect --builder nope" }, cli.Calls);
        }

        Assert.IsFalse(File.Exists(cache));
    }

    [TestMethod]
    public void AKeptBuilderCountsForAFewMinutesOnly()
    {
        using var tree = new TempTree();
        var cache = Path.Combine(tree.Root, BuilderCache.FileName);
        var builder = BuildxBuilder.Parse(DockerDriverBuilder);
        var written = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        BuilderCache.Save(cache, "key", "ENGINE-1", builder, written);

        var kept = BuilderCache.Load(cache, "key", written.AddMinutes(1));
        Assert.IsNotNull(kept);
        Assert.AreEqual("ENGINE-1", kept.Value.Engine);
        CollectionAssert.AreEqual(builder.Platforms.ToList(), kept.Value.Builder.Platforms.ToList());
        Assert.AreEqual(builder.Driver, kept.Value.Builder.Driver);
        Assert.IsNull(BuilderCache.Load(cache, "key", written + BuilderCache.Validity));
        Assert.IsNull(BuilderCache.Load(cache, "key", written.AddMinutes(-1)));
        Assert.IsNull(BuilderCache.Load(cache, "other key", written.AddMinutes(1)));
    }

    [TestMethod]
    public void CreatingRemovingOrSelectingABuilderIsAnotherKey()
    {
        using var tree = new TempTree();
        var config = tree.Folder("docker-config");
        var environment = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config };
        string Key(string? builder = null) => BuilderCache.Key("/usr/bin/docker", "unix:///var/run/docker.sock", builder, n => environment.GetValueOrDefault(n), tree.Root);

        var before = Key("multi");
        Assert.AreEqual(before, Key("multi"));
        Assert.AreNotEqual(before, Key("other"));
        tree.File("docker-config/buildx/instances/multi", "{}");
        var created = Key("multi");
        Assert.AreNotEqual(before, created);
        File.Delete(Path.Combine(config, "buildx/instances/multi"));
        Assert.AreNotEqual(created, Key("multi"));

        // buildx rewrites buildx/current at every command: only another builder selected there counts.
        var current = Key();
        tree.File("docker-config/buildx/current", "{\"Key\":\"unix:///var/run/docker.sock\",\"Name\":\"\",\"Global\":false}");
        var selectedDefault = Key();
        tree.File("docker-config/buildx/current", "{\"Key\":\"unix:///var/run/docker.sock\",\"Name\":\"\",\"Global\":false}");
        Assert.AreEqual(selectedDefault, Key());
        tree.File("docker-config/buildx/current", "{\"Key\":\"unix:///var/run/docker.sock\",\"Name\":\"multi\",\"Global\":false}");
        var selectedMulti = Key();
        Assert.AreNotEqual(selectedDefault, selectedMulti);
        Assert.AreNotEqual(current, selectedMulti);
        tree.File("docker-config/buildx/instances/multi", "{\"Name\":\"multi\"}");
        Assert.AreNotEqual(selectedMulti, Key());
        // Another builder created elsewhere is no change of this one.
        var withMulti = Key();
        tree.File("docker-config/buildx/instances/unrelated", "{}");
        Assert.AreEqual(withMulti, Key());
        environment["DOCKER_CONTEXT"] = "remote";
        Assert.AreNotEqual(withMulti, Key());
    }
}
