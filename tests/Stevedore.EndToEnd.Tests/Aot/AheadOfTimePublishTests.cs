using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Aot;

/// <summary>
/// Ahead-of-time publishes on the real engine, both platforms compiled on the build platform (no emulation): the Native
/// AOT sample (ILCompiler and a native cross toolchain in the build stage) and samples/dotnet with PublishReadyToRun
/// (crossgen for each target). Each image starts (arm64 under QEMU) and answers, and its code is for its platform.
/// </summary>
[TestClass]
public sealed class AheadOfTimePublishTests
{
    // ELF e_machine: what a native binary was linked for.
    private static readonly Dictionary<string, ushort> ElfMachines = new() { ["linux/amd64"] = 0x3E, ["linux/arm64"] = 0xB7 };

    // A ReadyToRun image's PE machine is the architecture's XOR the target OS's value (Linux: 0x7B79).
    private static readonly Dictionary<string, ushort> ReadyToRunMachines = new()
    {
        ["linux/amd64"] = (ushort)Machine.Amd64 ^ 0x7B79,
        ["linux/arm64"] = (ushort)Machine.Arm64 ^ 0x7B79,
    };

    private static readonly Dictionary<string, string> ProcessArchitectures = new() { ["linux/amd64"] = "X64", ["linux/arm64"] = "Arm64" };

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void AotSampleIsANativeBinaryForEachPlatformThatAnswers()
    {
        var sample = new AotSample(nameof(AotSampleIsANativeBinaryForEachPlatformThatAnswers));
        // Sources no earlier run built: the engine's cache cannot hold this compile, so it really runs for both platforms.
        sample.Edit("src/Api/Program.cs", code => code + $"\n// {sample.Tag}\n");
        var clock = Stopwatch.StartNew();
        var progress = BuildxProgress.Parse(sample.Publish().Output);
        TestContext.WriteLine($"AOT sample, cold, both platforms: {clock.Elapsed.TotalSeconds:F0} s");
        progress.AssertSteps("dotnet publish", cached: false, AotSample.Platforms);

        var pushed = RegistryImage.Find(AotSample.Repository, sample.Tag);
        Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
        CollectionAssert.AreEquivalent(AotSample.Platforms, pushed.Platforms.ToArray());
        foreach (var platform in AotSample.Platforms)
        {
            var port = RunningApp.FreePort();
            using var container = RunningContainer.Start(sample.Image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
            var answer = JsonDocument.Parse(container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3))).RootElement;
            Assert.AreEqual("aot-api", answer.GetProperty("service").GetString());
            Assert.AreEqual(ProcessArchitectures[platform], answer.GetProperty("arch").GetString(), platform);
            Assert.AreEqual("native", answer.GetProperty("runtime").GetString(), $"{platform}: the app runs without a JIT");
            Assert.AreEqual("healthy", container.GetWhenReady($"http://127.0.0.1:{port}/healthz", TimeSpan.FromMinutes(3)));
            Assert.AreEqual("1654", CommandRunner.Docker("inspect", "-f", "{{.Config.User}}", container.Id).EnsureSuccess().StdOut.Trim(), "non-root");

            var app = CopyApp(sample, container, platform);
            var files = Directory.EnumerateFiles(app).Select(Path.GetFileName).ToList();
            CollectionAssert.Contains(files, "Api");
            Assert.IsFalse(files.Any(f => f!.EndsWith(".dbg", StringComparison.Ordinal) || f.EndsWith(".dll", StringComparison.Ordinal)),
                $"{platform}: only the native binary, no symbols and no assemblies: {string.Join(", ", files)}");
            Assert.AreEqual(ElfMachines[platform], ElfMachine(Path.Combine(app, "Api")), $"{platform}: the binary's ELF machine");
            TestContext.WriteLine($"{platform}: binary {new FileInfo(Path.Combine(app, "Api")).Length / 1024} KiB, "
                + $"image {RegistryImage.CompressedSize(AotSample.Repository, sample.Tag, platform) / 1024} KiB compressed");
        }
    }

    [TestMethod]
    public void ReadyToRunSampleIsPrecompiledForEachPlatformAndAnswers()
    {
        var sample = new ReadyToRunSample(nameof(ReadyToRunSampleIsPrecompiledForEachPlatformAndAnswers));
        var clock = Stopwatch.StartNew();
        sample.Publish("PublishReadyToRun=true");
        TestContext.WriteLine($"ReadyToRun samples/dotnet, cold, both platforms: {clock.Elapsed.TotalSeconds:F0} s");

        foreach (var platform in ReadyToRunSample.Platforms)
        {
            var port = RunningApp.FreePort();
            using var container = RunningContainer.Start(sample.Image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
            var answer = JsonDocument.Parse(container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3))).RootElement;
            Assert.AreEqual(ProcessArchitectures[platform], answer.GetProperty("arch").GetString(), platform);

            var app = CopyApp(sample, container, platform);
            using var pe = new PEReader(File.OpenRead(Path.Combine(app, "Api.dll")));
            Assert.IsTrue(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{platform}: Api.dll has no ReadyToRun code");
            Assert.AreEqual(ReadyToRunMachines[platform], (ushort)pe.PEHeaders.CoffHeader.Machine, $"{platform}: crossgen compiled for another platform");
        }
    }

    private static string CopyApp(PinnedSample sample, RunningContainer container, string platform)
    {
        var folder = Path.Combine(sample.Root, "app-" + platform.Replace('/', '-'));
        container.CopyOut("/app/.", folder);
        return folder;
    }

    private static ushort ElfMachine(string path)
    {
        var header = new byte[20];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        Assert.IsTrue(header.AsSpan(0, 4).SequenceEqual("\u007fELF"u8), $"{path} is not an ELF file");
        return BitConverter.ToUInt16(header, 18);
    }
}
