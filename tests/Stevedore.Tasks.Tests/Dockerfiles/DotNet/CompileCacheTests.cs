using System.Diagnostics;
using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Dockerfiles.DotNet;

namespace Stevedore.Tasks.Tests.Dockerfiles.DotNet;

/// <summary>
/// The compile step's kept obj/ folders, run by a real /bin/sh as the RUN step runs them: a WORKDIR with a project, its
/// restore output and a stand-in compile that writes obj/, a cache folder as the mount, and a `dotnet` that lists SDKs.
/// </summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CompileCacheTests
{
    private static readonly DateTime Old = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [TestMethod]
    public void ASecondCompileGetsTheFirstOnesObjBackAndUnchangedInputsKeepTheirTimes()
    {
        using var step = new Step();
        step.Compile();
        File.SetLastWriteTimeUtc(step.Source, Old);

        step.Compile(check: "test -e " + step.Output);

        Assert.AreEqual("compiled\n", File.ReadAllText(step.Output), "the kept obj/ came back before the compile");
        Assert.AreEqual(Old, File.GetLastWriteTimeUtc(step.Source), "an input whose content did not change is not touched");
    }

    [TestMethod]
    public void AnInputWhoseContentChangedIsTouchedWhateverItsTime()
    {
        using var step = new Step();
        step.Compile();
        File.WriteAllText(step.Source, "class A { int edited; }");
        File.SetLastWriteTimeUtc(step.Source, Old);

        step.Compile();

        Assert.IsTrue(File.GetLastWriteTimeUtc(step.Source) > DateTime.UtcNow.AddMinutes(-5), "the edited file is newer than every kept output");
        Assert.IsTrue(File.GetLastWriteTimeUtc(step.Source) >= File.GetLastWriteTimeUtc(step.KeptOutput), "newer than the kept output");
    }

    [TestMethod]
    public void AnotherRestoreOutputOrSdkBringsNothingBack()
    {
        using var step = new Step();
        step.Compile();

        step.Restore("{\"version\":3,\"other\":true}");
        step.Compile(check: "test ! -e " + step.Output);
        step.Compile();
        step.Sdks = "10.0.500 [/usr/share/dotnet/sdk]";
        step.Compile(check: "test ! -e " + step.Output);
    }

    [TestMethod]
    public void EachTargetArchitectureKeepsItsOwnFolders()
    {
        using var step = new Step { Target = "amd64" };
        step.Compile();

        step.Target = "arm64";
        step.Compile(check: "test ! -e " + step.Output);
        step.Target = "amd64";
        step.Compile(check: "test -e " + step.Output);
        Assert.IsFalse(step.Script.Contains("TARGETARCH", StringComparison.Ordinal), "a stage for every platform declares no TARGETARCH: the step names its folder");
    }

    [TestMethod]
    public void AFailedCompileKeepsNothingAndFailsTheStep()
    {
        using var step = new Step();
        step.Compile();
        File.WriteAllText(step.Source, "class A { broken }");

        Assert.AreEqual(7, step.Run("exit 7"));

        // The folder still holds the first compile's obj/ with the first inputs: the broken source counts as changed.
        File.SetLastWriteTimeUtc(step.Source, Old);
        step.Compile();
        Assert.IsTrue(File.GetLastWriteTimeUtc(step.Source) > Old, "still different from what was kept: touched");
    }

    [TestMethod]
    public void ABuildOfTheSameProjectAtTheSameTimeCompilesFromScratch()
    {
        using var step = new Step();
        step.Compile();

        // Another step holds the folder (flock on its lock file): this one neither waits nor takes it.
        using var holder = Process.Start(new ProcessStartInfo("flock", [Path.Combine(step.Cache, step.Target, "lock"), "sleep", "20"]))!;
        Thread.Sleep(300);
        try
        {
            step.Compile(check: "test ! -e " + step.Output);
        }
        finally
        {
            holder.Kill();
        }
    }

    [TestMethod]
    public void WithoutAWritableFolderTheCompileRunsAsBefore()
    {
        using var step = new Step();
        step.Cache = "/proc/stevedore-no-such-folder";
        Assert.AreEqual(0, step.Run(step.CompileCommand));
        Assert.AreEqual(5, step.Run("exit 5"));
    }

    [TestMethod]
    public void TheMountIsTheCommandsAndTheStepSourcesTheScriptAroundIt()
    {
        StringAssert.StartsWith(CompileCache.Mount("dotnet msbuild a.csproj"), "--mount=type=cache,id=stevedore-obj-");
        Assert.AreNotEqual(CompileCache.Mount("dotnet msbuild a.csproj"), CompileCache.Mount("dotnet msbuild b.csproj"));
        Assert.AreEqual(". " + CompileCache.ScriptPath + "; stevedore_obj_in \"$TARGETARCH\" src/A/ Directory.Build.props; \\\n dotnet build \\\n && stevedore_obj_out",
            CompileCache.Wrap("dotnet build", "\"$TARGETARCH\"", ["src/A/", "Directory.Build.props", "src/A/"]));
        var copy = CompileCache.AddScript(new DockerfileStage("sdk")).Instructions.Single();
        Assert.AreEqual(1, copy.Arguments.Split('\n').Count(l => l == "EOF"), "the heredoc's terminator appears once, at the end");
    }

    /// <summary>A build stage's WORKDIR, the cache mount's folder and a `dotnet` on PATH, in a temp folder.</summary>
    private sealed class Step : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("stevedore-compile-cache-").FullName;

        public Step()
        {
            Cache = Path.Combine(folder, "cache");
            Directory.CreateDirectory(Cache);
            Directory.CreateDirectory(Path.Combine(Root, "src", "A", "obj"));
            File.WriteAllText(Path.Combine(Root, "src", "A", "A.csproj"), "<Project />");
            File.WriteAllText(Source, "class A { }");
            Restore("{\"version\":3}");
            Directory.CreateDirectory(Path.Combine(folder, "bin"));
            File.WriteAllText(Path.Combine(folder, "bin", "dotnet"), "#!/bin/sh\necho \"$STEVEDORE_TEST_SDKS\"\n");
            File.SetUnixFileMode(Path.Combine(folder, "bin", "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public string Root => Path.Combine(folder, "src");

        public string Cache { get; set; }

        public string Sdks { get; set; } = "10.0.401 [/usr/share/dotnet/sdk]";

        public string Source => Path.Combine(Root, "src", "A", "A.cs");

        /// <summary>What the stand-in compile writes into obj/ when it is not there yet.</summary>
        public string Output => Path.Combine(Root, "src", "A", "obj", "Release", "A.dll");

        /// <summary>The folder of the cache the step takes: one per target architecture, or all of them at once.</summary>
        public string Target { get; set; } = CompileCache.EveryTarget;

        public string KeptOutput => Path.Combine(Cache, Target, "tree", "src", "A", "obj", "Release", "A.dll");

        public string CompileCommand => $"test -e {Output} || {{ mkdir -p {Path.GetDirectoryName(Output)} && echo compiled >{Output}; }}";

        public void Restore(string assets) => File.WriteAllText(Path.Combine(Root, "src", "A", "obj", "project.assets.json"), assets);

        public string Script => CompileCache.Script(Cache, Root);

        /// <summary>Runs the step with the stand-in compile; <paramref name="check"/> runs before it and must pass.</summary>
        public void Compile(string? check = null) =>
            Assert.AreEqual(0, Run((check is null ? string.Empty : check + " && ") + CompileCommand));

        /// <summary>The step as the Dockerfile writes it: source the script, take the folders, run, keep them on success.</summary>
        public int Run(string command)
        {
            var script = Path.Combine(folder, "compile-cache.sh");
            File.WriteAllText(script, Script);
            var wrapped = CompileCache.Wrap(command, Target, ["src/A/"]).Replace(CompileCache.ScriptPath, script, StringComparison.Ordinal);
            var start = new ProcessStartInfo("/bin/sh", ["-c", wrapped])
            {
                WorkingDirectory = Root,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            start.Environment["PATH"] = Path.Combine(folder, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment["STEVEDORE_TEST_SDKS"] = Sdks;
            // Every RUN starts from the layer below it: obj/ holds the restore's files alone.
            var built = Path.Combine(Root, "src", "A", "obj", "Release");
            if (Directory.Exists(built))
            {
                Directory.Delete(built, recursive: true);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            Assert.IsTrue(process.WaitForExit(30_000), "the step did not end");
            process.WaitForExit();
            Console.WriteLine(output.Result + error);
            return process.ExitCode;
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);
    }
}
