using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Dockerfiles.DotNet;
using Stevedore.Tasks.Platforms;
using Stevedore.Testing;

namespace Stevedore.Tasks.Tests.Dockerfiles.DotNet;

/// <summary>The AOT build stage's toolchain step, run by a real shell on the no-op paths (nothing to install).</summary>
[TestClass]
public sealed class NativeToolchainTests
{
    [TestMethod]
    [DataRow("linux/amd64", true)]
    [DataRow("linux/arm64", true)]
    [DataRow("linux/arm/v7", false)]
    [DataRow("linux/386", false)]
    [DataRow("linux/s390x", false)]
    public void CrossCompilesForAmd64AndArm64Only(string platform, bool supported) =>
        Assert.AreEqual(supported, NativeToolchain.Supports(ContainerPlatform.ParseList(platform).Single()));

    [TestMethod]
    public void IsValidShell() => Assert.AreEqual(0, Shell(["-n"], "amd64", "amd64", null).ExitCode);

    [TestMethod]
    public void SameArchitectureNeedsNothing() => Assert.AreEqual(0, Shell([], "amd64", "amd64", null).ExitCode);

    [TestMethod]
    public void ACrossLinkerAlreadyInTheImageIsKept()
    {
        using var tree = new TempTree();
        var bin = Path.GetDirectoryName(tree.File("bin/aarch64-linux-gnu-ld", "#!/bin/sh\n"))!;
        CommandRunner.Run("chmod", ["+x", Path.Combine(bin, "aarch64-linux-gnu-ld")]).EnsureSuccess();
        var result = Shell([], "arm64", "amd64", bin);
        Assert.AreEqual(0, result.ExitCode, result.Output);
    }

    [TestMethod]
    public void AnotherArchitectureIsRefusedByName()
    {
        var result = Shell([], "riscv64", "amd64", null);
        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Output, "no native cross toolchain for riscv64");
    }

    // The step's RUN as the Dockerfile frontend hands it to /bin/sh -c (line continuations joined), with the build args as variables.
    private static CommandResult Shell(string[] options, string target, string build, string? path)
    {
        var stage = new DockerfileStage("sdk", "build", "$BUILDPLATFORM");
        NativeToolchain.AddTo(stage);
        var run = stage.Instructions.Single(i => i.Keyword == "RUN").Arguments.Replace("\\\n", string.Empty, StringComparison.Ordinal);
        return CommandRunner.Run("/bin/sh", [.. options, "-c", run], environment: new Dictionary<string, string?>
        {
            ["TARGETARCH"] = target,
            ["BUILDARCH"] = build,
            ["PATH"] = path is null ? "/usr/bin:/bin" : path + ":/usr/bin:/bin",
        });
    }
}
