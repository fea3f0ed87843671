using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.EndToEnd.Tests.Go;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Engine;

/// <summary>
/// A machine without QEMU (a CI runner with no setup-qemu-action step) publishes both platforms: the generated
/// Dockerfiles run every RUN on the build platform, so no emulator is needed. The qemu-aarch64 binfmt handler is
/// unregistered only for the two publishes (arm64 containers of anything else on the engine cannot start meanwhile)
/// and always registered again with eng/engine.sh's own registration. Nothing arm64 is run while it is gone.
/// </summary>
[TestClass]
[DoNotParallelize]
[EngineWide]
public sealed class NoEmulatorTests
{
    private const string Handler = "/proc/sys/fs/binfmt_misc/qemu-aarch64";

    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void BothSamplesPublishBothPlatformsWithoutTheQemuHandler()
    {
        Assert.IsTrue(File.Exists(Handler), $"{Handler} is not registered before the test; run `eng/engine.sh up`");
        var dotnet = new DotNetSample(nameof(BothSamplesPublishBothPlatformsWithoutTheQemuHandler) + "-dotnet");
        var go = new GoSample(nameof(BothSamplesPublishBothPlatformsWithoutTheQemuHandler) + "-go");
        // Fresh sources, so the compile and the final stages really run now instead of coming from another test's cache.
        dotnet.Edit("src/Greetings/Greeter.cs", code => code.Replace(" ships ", $" ships {dotnet.Tag} "));
        go.Edit("greet/greet.go", code => code.Replace("\"Hello, \"", $"\"Hello {go.Tag}, \""));
        // Everything that can be checked before the window opens: the stand-in images are there.
        var dotnetArguments = dotnet.PublishArguments();
        var goArguments = go.PublishArguments();

        string dotnetOutput;
        string goOutput;
        File.WriteAllText(Handler, "-1");
        try
        {
            Assert.IsFalse(File.Exists(Handler), "the qemu-aarch64 handler is still registered");
            dotnetOutput = EnginePublish.Run(dotnetArguments, dotnet.Folder, Path.Combine(dotnet.Root, "publish-no-qemu.log")).Output;
            goOutput = EnginePublish.Run(goArguments, go.Folder, Path.Combine(go.Root, "publish-no-qemu.log")).Output;
        }
        finally
        {
            var restore = CommandRunner.Run("bash", [Repo.Path("eng", "engine.sh"), "binfmt"], timeout: TimeSpan.FromMinutes(5));
            if (!File.Exists(Handler))
            {
                // Never leave the shared engine without arm64: the same registration engine.sh writes, by hand.
                var conf = File.ReadAllText("/usr/lib/binfmt.d/qemu-aarch64.conf").Trim();
                File.WriteAllText("/proc/sys/fs/binfmt_misc/register", conf[..conf.LastIndexOf(':')] + ":FP");
            }

            Assert.AreEqual(0, restore.ExitCode, "eng/engine.sh binfmt did not register qemu-aarch64 again:\n" + restore.Output);
            StringAssert.Contains(File.ReadAllText(Handler), "enabled", "the qemu-aarch64 handler is back but disabled");
        }

        foreach (var (sample, repository, output) in new[] { ((PinnedSample)dotnet, DotNetSample.Repository, dotnetOutput), (go, GoSample.Repository, goOutput) })
        {
            var pushed = RegistryImage.Find(repository, sample.Tag);
            Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
            Assert.IsTrue(pushed.IsIndex, $"{sample.Image} is a {pushed.MediaType}, not an index");
            CollectionAssert.AreEquivalent(PinnedSample.Platforms, pushed.Platforms.ToArray());
            // Go cross-compiles in an amd64->arm64 build stage; a framework-dependent .NET app compiles once on amd64 for both.
            Assert.IsTrue(output.Contains("->arm64 build ", StringComparison.Ordinal) || output.Contains("Stevedore: compiled once for linux/amd64, linux/arm64", StringComparison.Ordinal),
                $"the arm64 build did not run on the build platform:\n{output}");
            Assert.DoesNotContain("error STV2105", output);
        }
    }
}
