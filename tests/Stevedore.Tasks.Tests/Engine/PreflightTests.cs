using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Engine;

namespace Stevedore.Tasks.Tests.Engine;

[TestClass]
public sealed class PreflightTests
{
    // Captured from this project's engine: buildx 0.13.1, docker driver, containerd image store, QEMU for arm64.
    private const string DefaultBuilder = """
        Name:          default
        Driver:        docker
        Last Activity: 2026-11-23 16:03:32 +0000 UTC

        Nodes:
        Name:             default
        Endpoint:         default
        Status:           running
        BuildKit version: v0.0.0+unknown
        Platforms:        linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/amd64/v4, linux/arm64
        Labels:
         org.mobyproject.buildkit.worker.containerd.namespace: moby
         org.mobyproject.buildkit.worker.executor:             containerd
         org.mobyproject.buildkit.worker.network:              host
         org.mobyproject.buildkit.worker.snapshotter:          overlayfs
        """;

    // Captured with DOCKER_HOST=unix:///nonexistent.sock: buildx exits 0 and reports the error in the text.
    private const string NoEngine = """
        Name:          default
        Driver:        
        Last Activity: 2026-11-23 16:03:32 +0000 UTC
        Error:         Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?
        """;

    // A docker-container builder with two nodes, one native arm64 (buildx's documented layout; '*' = set by hand).
    private const string TwoNodes = """
        Name:          multi
        Driver:        docker-container
        Last Activity: 2025-01-02 10:00:00 +0000 UTC

        Nodes:
        Name:      multi0
        Endpoint:  unix:///var/run/docker.sock
        Status:    running
        Platforms: linux/amd64*, linux/386

        Name:      multi1
        Endpoint:  ssh://arm-host
        Status:    running
        Platforms: linux/arm64*, linux/arm/v7
        """;

    private static readonly string[] Both = ["linux/amd64", "linux/arm64"];

    [TestMethod]
    public void ParsesTheDefaultBuilder()
    {
        var builder = BuildxBuilder.Parse(DefaultBuilder.Replace("\n", "\r\n"));
        Assert.AreEqual("default", builder.Name);
        Assert.AreEqual("docker", builder.Driver);
        Assert.IsNull(builder.Error);
        CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/amd64/v2", "linux/amd64/v3", "linux/amd64/v4", "linux/arm64" }, builder.Platforms.ToArray());
    }

    [TestMethod]
    public void ParsesEveryNodeAndDropsTheManualMark()
    {
        var builder = BuildxBuilder.Parse(TwoNodes);
        Assert.AreEqual("multi", builder.Name);
        Assert.AreEqual("docker-container", builder.Driver);
        CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/386", "linux/arm64", "linux/arm/v7" }, builder.Platforms.ToArray());
        Assert.IsTrue(builder.CanBuild("linux/arm"), "linux/arm/v7 serves a variant-less linux/arm");
        Assert.IsFalse(builder.CanBuild("linux/riscv64"));
    }

    [TestMethod]
    public void ReadsTheErrorOfAnUnreachableEngine() =>
        Assert.AreEqual("Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?", BuildxBuilder.Parse(NoEngine).Error);

    [TestMethod]
    public void ContainerdImageStoreFromDockerInfo()
    {
        Assert.IsTrue(DockerDriverStatus.UsesContainerdImageStore("""[["driver-type","io.containerd.snapshotter.v1"]]"""));
        // The classic overlay2 store, as `docker info` prints it.
        Assert.IsFalse(DockerDriverStatus.UsesContainerdImageStore("""[["Backing Filesystem","extfs"],["Supports d_type","true"],["Using metacopy","false"],["Native Overlay Diff","true"],["userxattr","false"]]"""));
        Assert.IsFalse(DockerDriverStatus.UsesContainerdImageStore("null"));
        Assert.IsFalse(DockerDriverStatus.UsesContainerdImageStore(string.Empty));
    }

    [TestMethod]
    public void ThisEngineCanDoEverything() =>
        Assert.IsEmpty(PreflightCheck.Run(BuildxBuilder.Parse(DefaultBuilder), containerdImageStore: true, new BuildRequest
        {
            Platforms = Both,
            CacheTo = [To("type=local,dest=/tmp/c,mode=max"), To("type=registry,ref=127.0.0.1:5000/c")],
            Load = true,
        }));

    [TestMethod]
    public void MissingEmulationNamesThePlatformAndTheFix()
    {
        var amd64Only = BuildxBuilder.Parse(DefaultBuilder.Replace(", linux/arm64", string.Empty));
        var problem = PreflightCheck.Run(amd64Only, true, new BuildRequest { Platforms = Both }).Single();
        Assert.AreEqual("PlatformNotSupported", problem.ResourceName);
        var text = new Tasks.Diagnostics.DiagnosticException(problem.ResourceName, problem.Arguments).Text;
        StringAssert.StartsWith(text, "STV2105: The buildx builder 'default' cannot build linux/arm64 (it builds linux/amd64, linux/amd64/v2");
        StringAssert.Contains(text, "tonistiigi/binfmt --install all");
    }

    [TestMethod]
    public void DockerDriverWithoutImageStoreCanNeitherBuildSeveralPlatformsNorExportCaches()
    {
        var problems = PreflightCheck.Run(BuildxBuilder.Parse(DefaultBuilder), containerdImageStore: false, new BuildRequest
        {
            Platforms = Both,
            CacheTo = [To("type=inline"), To("type=local,dest=/tmp/c"), To("127.0.0.1:5000/cache")],
        });
        CollectionAssert.AreEqual(
            new[] { "MultiPlatformNeedsImageStore", "CacheExportNeedsImageStore:type=local,dest=/tmp/c", "CacheExportNeedsImageStore:type=registry,ref=127.0.0.1:5000/cache" },
            problems.Select(p => p.ResourceName + (p.ResourceName.StartsWith("Cache", StringComparison.Ordinal) ? ":" + p.Arguments[1] : string.Empty)).ToArray());
        var text = new Tasks.Diagnostics.DiagnosticException(problems[0].ResourceName, problems[0].Arguments).Text;
        StringAssert.Contains(text, "'{\"features\":{\"containerd-snapshotter\":true}}' in /etc/docker/daemon.json");
    }

    [TestMethod]
    public void DockerContainerDriverCannotLoadSeveralPlatforms()
    {
        var builder = BuildxBuilder.Parse(TwoNodes);
        Assert.AreEqual("MultiPlatformLoad", PreflightCheck.Run(builder, false, new BuildRequest { Platforms = Both, Load = true }).Single().ResourceName);
        Assert.IsEmpty(PreflightCheck.Run(builder, false, new BuildRequest { Platforms = Both, CacheTo = [To("type=local,dest=/c")] }));
    }

    private static CacheSpec To(string spec) => CacheSpec.Parse(spec, CacheDirection.To);
}
