using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Corpus;

/// <summary>
/// A framework-dependent app is restored and compiled once for every platform; each platform's image must still hold
/// exactly what a plain `dotnet publish -r linux-&lt;arch&gt;` of the same app gives: the same files, the apphost of
/// the right machine, the right RID's native assets, byte for byte where no path of the build is embedded.
/// </summary>
[TestClass]
public sealed class CompileOnceTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void EachPlatformsImageHoldsWhatAPerRidPublishGives()
    {
        var repo = new CorpusRepo("compile-once", "native-assets", "src/App/App.csproj", "corpus/native-assets");

        var publish = repo.Publish();

        var dockerfile = File.ReadAllText(repo.GeneratedFile("Dockerfile"));
        var buildStage = dockerfile[..dockerfile.IndexOf("\nFROM ", dockerfile.IndexOf("AS build", StringComparison.Ordinal), StringComparison.Ordinal)];
        Assert.DoesNotContain("TARGETARCH", buildStage, "restore and publish must not depend on the target platform");
        StringAssert.Contains(publish.Output, "Stevedore: compiled once for linux/amd64, linux/arm64");
        var report = File.ReadAllText(Path.Combine(Path.GetDirectoryName(repo.GeneratedFile("Dockerfile"))!, "stevedore-report.json"));
        StringAssert.Contains(report, "\"buildMode\": \"once\"", "the report says which mode ran");
        foreach (var (platform, rid, machine) in new[] { ("linux/amd64", "linux-x64", (ushort)0x3E), ("linux/arm64", "linux-arm64", (ushort)0xB7) })
        {
            var image = Path.Combine(repo.Root, "image-" + rid);
            CopyAppFolder(repo.Image, platform, image);
            var reference = Path.Combine(repo.Root, "publish-" + rid);
            var host = CommandRunner.Run("dotnet",
                ["publish", "src/App/App.csproj", "-c", "Release", "-r", rid, "--self-contained", "false", "-o", reference, "-p:EnableStevedore=false", "-tl:off"],
                repo.Folder, new Dictionary<string, string?>(PinnedSample.Environment!), TimeSpan.FromMinutes(5));
            host.EnsureSuccess();

            CollectionAssert.AreEquivalent(Files(reference), Files(image), $"{platform}: the image's app folder and the {rid} publish hold different files");
            foreach (var file in Files(reference).Where(f => f is not ("App.dll" or "App.pdb")))
            {
                CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(reference, file)), File.ReadAllBytes(Path.Combine(image, file)), $"{platform}: {file} differs from the {rid} publish");
            }

            Assert.AreEqual(machine, ElfMachine(Path.Combine(image, "App")), $"{platform}: the apphost is for another machine");
            Assert.AreEqual(machine, ElfMachine(Path.Combine(image, "libe_sqlite3.so")), $"{platform}: the native SQLite is for another machine");
        }

        repo.Delete();
    }

    /// <summary>The image's /app for one platform, through a created (never started) container.</summary>
    private static void CopyAppFolder(string image, string platform, string destination)
    {
        var id = CommandRunner.Docker("create", "--pull", "always", "--platform", platform, image).EnsureSuccess().StdOut.Trim();
        try
        {
            CommandRunner.Docker("cp", id + ":/app", destination).EnsureSuccess();
        }
        finally
        {
            CommandRunner.Docker("rm", "-f", id);
        }
    }

    private static List<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal).ToList();

    // e_machine of an ELF header: 0x3E x86-64, 0xB7 AArch64.
    private static ushort ElfMachine(string file)
    {
        var header = File.ReadAllBytes(file).AsSpan(0, 20);
        Assert.IsTrue(header[..4].SequenceEqual("\u007fELF"u8), $"{file} is not an ELF file");
        return BitConverter.ToUInt16(header[18..20]);
    }
}
