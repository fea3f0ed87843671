using Stevedore.Tasks.Plan;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Buildx;
using Stevedore.Tasks.Buildx.Bake;
using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Files;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Tests.Buildx;

/// <summary>
/// A solution's bake leaves out a project whose image inputs did not change: the ignore file read as BuildKit reads it,
/// the context paths and base images of a generated Dockerfile, one digest of all inputs, and the task that leaves the
/// unchanged targets out.
/// </summary>
[TestClass]
public sealed class UnchangedImageTests
{
    private const string Sdk = "127.0.0.1:5000/dotnet/sdk:10.0";
    private const string Runtime = "127.0.0.1:5000/dotnet/runtime:10.0";

    private static readonly string Dockerfile = $"""
        {GeneratedFileHeader.Generated}

        FROM --platform=$BUILDPLATFORM {Sdk} AS build
        WORKDIR /src
        COPY ["nuget.config", "./"]
        COPY ["src/Lib/Lib.csproj", "src/Lib/"]
        COPY ["src/Api/Api.csproj", "src/Api/"]
        RUN dotnet restore "src/Api/Api.csproj"
        COPY ["src/Lib/", "src/Lib/"]
        COPY ["src/Api/", "src/Api/"]
        RUN --network=none dotnet publish "src/Api/Api.csproj" \
            -o /app

        FROM {Runtime} AS final
        COPY --from=build /app/ .
        ENTRYPOINT ["./Api"]
        """;

    [TestMethod]
    [DataRow("**/bin", "src/Api/bin/Api.dll", true)]
    [DataRow("**/bin", "bin/x", true)]
    [DataRow("**/bin", "src/Api/binary.cs", false)]
    [DataRow("/secrets.json", "secrets.json", true)]
    [DataRow("*.md", "docs/a.md", false)]
    [DataRow("**/*.md", "docs/a.md", true)]
    [DataRow("src/*/obj", "src/Api/obj/project.assets.json", true)]
    [DataRow("src/?pi", "src/Api/Program.cs", true)]
    [DataRow("src/[A-B]pi", "src/Api/Program.cs", true)]
    [DataRow("src/[^A]pi", "src/Api/Program.cs", false)]
    [DataRow("# **/bin", "src/Api/bin/Api.dll", false)]
    [DataRow("./docs/../src/Api", "src/Api/Program.cs", true)]
    [DataRow("docs/**", "docs", false)]
    [DataRow("docs/**", "docs/a/b.md", true)]
    public void IgnoreFileIsReadAsBuildKitReadsIt(string pattern, string path, bool ignored) =>
        Assert.AreEqual(ignored, IgnorePatterns.Parse(pattern).Ignores(path), $"{pattern} on {path}");

    [TestMethod]
    public void LaterExclusionBringsAPathBackAndALaterPatternTakesItAgain()
    {
        var patterns = IgnorePatterns.Parse("**/bin\n!src/Api/bin/keep.txt\n");
        Assert.IsTrue(patterns.HasExclusions);
        Assert.IsTrue(patterns.Ignores("src/Api/bin/Api.dll"));
        Assert.IsFalse(patterns.Ignores("src/Api/bin/keep.txt"));
        Assert.IsTrue(IgnorePatterns.Parse("**/bin\n!src/Api/bin/keep.txt\n**/*.txt\n").Ignores("src/Api/bin/keep.txt"));
        Assert.IsFalse(IgnorePatterns.None.Ignores("anything"));
    }

    [TestMethod]
    public void GeneratedDockerfileNamesItsContextPathsAndBaseImages()
    {
        var reads = DockerfileReads.Parse(Dockerfile)!;

        CollectionAssert.AreEqual(new[] { "nuget.config", "src/Lib/Lib.csproj", "src/Api/Api.csproj", "src/Lib/", "src/Api/" }, reads.ContextPaths.ToArray());
        CollectionAssert.AreEqual(new[] { Sdk, Runtime }, reads.Images.ToArray(), "a stage's own name and --from copies are no base image");
    }

    [TestMethod]
    [DataRow("FROM a AS build\nFROM build\nCOPY src/ /src/\n", "src/", "a")]
    [DataRow("FROM scratch\nCOPY --chmod=755 app /app\n", "app", "")]
    public void PlainFormsAreRead(string dockerfile, string path, string image)
    {
        var reads = DockerfileReads.Parse(dockerfile)!;
        CollectionAssert.AreEqual(new[] { path }, reads.ContextPaths.ToArray());
        CollectionAssert.AreEqual(image.Length == 0 ? Array.Empty<string>() : new[] { image }, reads.Images.ToArray());
    }

    [TestMethod]
    public void AFileWrittenInlineReadsNothingAndItsLinesAreNoInstructions()
    {
        // The generated core-slot wait (COPY <<'EOF'): its lines up to the terminator are the file's, not COPY steps.
        var reads = DockerfileReads.Parse("FROM a\nCOPY <<'EOF' /usr/local/share/x.sh\ncopy src/*.cs /elsewhere/\nEOF\nCOPY src/ /src/\n")!;
        CollectionAssert.AreEqual(new[] { "src/" }, reads.ContextPaths.ToArray());
        CollectionAssert.AreEqual(new[] { "a" }, reads.Images.ToArray());
    }

    [TestMethod]
    [DataRow("FROM a\nADD https://example.invalid/x /x\n")]
    [DataRow("FROM a\nCOPY src/*.cs /src/\n")]
    [DataRow("FROM a\nCOPY $DIR /src/\n")]
    [DataRow("ARG BASE=a\nFROM $BASE\n")]
    [DataRow("FROM a\nRUN --mount=type=bind,source=.,target=/src make\n")]
    [DataRow("FROM a\nRUN <<EOF\nmake\nEOF\n")]
    [DataRow("FROM a\nCOPY <<EOF src/ /x\nhello\nEOF\n")]
    public void ReadsThatCannotBeNamedExactlyGiveNothing(string dockerfile) =>
        Assert.IsNull(DockerfileReads.Parse(dockerfile));

    [TestMethod]
    public void InputsChangeWithWhatTheImageIsMadeOfAndOnlyWithThat()
    {
        using var tree = Shop();
        var digests = new Dictionary<string, string?> { [Sdk] = "sha256:" + new string('1', 64), [Runtime] = "sha256:" + new string('2', 64) };
        string? Of(BakeTarget t) => new ImageInputs(image => digests[image]).Of(t, builder: null, Reads(t));
        var target = Target(tree, "Api");
        var first = Of(target);

        Assert.IsNotNull(first);
        StringAssert.StartsWith(first, "sha256:");
        Assert.AreEqual(first, Of(target), "the same inputs, the same digest");

        tree.File("src/Api/bin/Release/Api.dll", "built on the host");
        tree.File("src/Api/obj/project.assets.json", "{}");
        tree.File("src/Other/Program.cs", "another service");
        tree.File("README.md", "docs");
        Assert.AreEqual(first, Of(target), "ignored files and files no COPY takes are no input");

        tree.File("src/Lib/Greeter.cs", "class Greeter { /* edited */ }");
        var edited = Of(target);
        Assert.AreNotEqual(first, edited, "a referenced library's source is an input");

        digests[Runtime] = "sha256:" + new string('3', 64);
        Assert.AreNotEqual(edited, Of(target), "the base image's tag moved");
        digests[Runtime] = "sha256:" + new string('2', 64);
        Assert.AreEqual(edited, Of(target));

        Assert.AreNotEqual(edited, Of(Target(tree, "Api", tag: "2.0")), "the tags are inputs");
        Assert.AreNotEqual(edited, new ImageInputs(image => digests[image]).Of(target, builder: "other", Reads(target)), "the builder is an input");

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(tree.Root, "src/Api/Program.cs"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.AreNotEqual(edited, Of(target), "a file's mode is an input");
        }
    }

    [TestMethod]
    public void ImagesWhoseInputsCannotAllBeNamedAreNeverUnchanged()
    {
        using var tree = Shop();
        var known = new ImageInputs(_ => "sha256:" + new string('1', 64));

        Assert.IsNull(known.Of(Target(tree, "Api", epoch: null), null, Reads(Target(tree, "Api"))), "without source-date-epoch the image differs each build");
        Assert.IsNull(known.Of(Target(tree, "Api", push: false), null, Reads(Target(tree, "Api"))), "a loaded image may be gone from the engine");
        Assert.IsNull(new ImageInputs(_ => null).Of(Target(tree, "Api"), null, Reads(Target(tree, "Api"))), "a base image nobody can name the digest of");

        Assert.IsNull(known.Of(Target(tree, "Api"), null, reads: null), "the user's own Dockerfile: its plan names no reads");
    }

    [TestMethod]
    public void UnchangedTargetsAreLeftOutAndReportedWithoutRunningBake()
    {
        using var tree = Shop();
        var engine = new RecordingBuildEngine();
        var digests = new Dictionary<string, string?>
        {
            [Sdk] = "sha256:" + new string('1', 64),
            [Runtime] = "sha256:" + new string('2', 64),
            ["127.0.0.1:5000/shop/api:1.0"] = "sha256:" + new string('a', 64),
        };
        var fragment = Path.Combine(tree.Root, "src/Api/obj/stevedore/bake-target.json");
        var target = Target(tree, "Api");
        File.WriteAllText(fragment, target.ToJson().ToJsonString());
        var inputs = new ImageInputs(image => digests[image]).Of(target, null, Reads(target))!;
        new ImageRecord(inputs, "sha256:" + new string('a', 64), target.Tags).Write(Path.GetDirectoryName(fragment)!);
        BakeContainerImages Task() => new()
        {
            BuildEngine = engine,
            Targets = [new TaskItem(fragment, new Dictionary<string, string> { ["ReportDirectory"] = Path.GetDirectoryName(fragment)! + "/", ["Plan"] = PlanNextTo(fragment) })],
            DefinitionFile = Path.Combine(tree.Root, "obj/stevedore/Shop/bake.json"),
            ReadCurrentDigest = image => digests[image],
        };

        Assert.IsTrue(Task().Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        var log = string.Join("\n", engine.Messages.Select(m => m.Message));
        StringAssert.Contains(log, "left out of the bake: Api (sha256:" + new string('a', 64) + ")");
        StringAssert.Matches(log, new System.Text.RegularExpressions.Regex(@"Api\s+\| linux/amd64,linux/arm64 \| -\s+\| 0\.0 s \| unchanged \| sha256:a{64}"));
        Assert.IsFalse(log.Contains("docker buildx bake", StringComparison.Ordinal), "no bake ran");

        // Baked again: when the tag moved in the registry (someone pushed over it), when the project says so, when an input changed.
        var definition = BakeDefinition.Create([BakeTarget.FromJson((System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(fragment))!) with { Fragment = fragment }]);
        Assert.AreEqual(1, Task().FindUnchanged(definition).Count);
        digests["127.0.0.1:5000/shop/api:1.0"] = "sha256:" + new string('b', 64);
        Assert.AreEqual(0, Task().FindUnchanged(definition).Count, "the tag moved");
        Assert.IsTrue(engine.Messages.Any(m => m.Message == $"Stevedore: Api is baked: 127.0.0.1:5000/shop/api:1.0 no longer points to sha256:{new string('a', 64)}"));
        digests["127.0.0.1:5000/shop/api:1.0"] = "sha256:" + new string('a', 64);
        var own = Task();
        own.Targets[0].SetMetadata("SkipUnchanged", "false");
        Assert.AreEqual(0, own.FindUnchanged(definition).Count, "ContainerSkipUnchanged=false");
        tree.File("src/Api/Program.cs", "System.Console.WriteLine(1);");
        Assert.AreEqual(0, Task().FindUnchanged(definition).Count, "a source changed");
        Assert.IsTrue(engine.Messages.Any(m => m.Message == "Stevedore: Api is baked: its inputs changed since its last publish"));
    }

    [TestMethod]
    public void BakeRunsAgainAfterBuildKitsSharedStepRace()
    {
        // CI saw the race end a build of two publishes at once; a bake's targets are solves at once on one engine too.
        using var tree = Shop();
        var engine = new RecordingBuildEngine();
        const string Race = "ERROR: target Api: failed to solve: failed to compute cache key: failed to get state for index 0 on [linux/amd64 build 12/14] COPY [src/Api/, src/Api/]";
        var waits = new List<TimeSpan>();
        BakeContainerImages Task(int failures, int retries)
        {
            File.WriteAllText(Path.Combine(tree.Root, "failures"), failures.ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.Delete(Path.Combine(tree.Root, "runs"));
            var task = StandInBake(tree, engine, $$"""if [ $n -le $(cat "{{tree.Root}}/failures") ]; then echo '{{Race}}' >&2; exit 1; fi""");
            task.RegistryRetries = retries;
            task.Wait = (delay, _) => { waits.Add(delay); return true; };
            return task;
        }

        Assert.IsTrue(Task(failures: 1, retries: 3).Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.AreEqual("2", File.ReadAllText(Path.Combine(tree.Root, "runs")).Trim());
        Assert.AreEqual("STV3205", engine.Warnings.Single().Code);
        StringAssert.Contains(engine.Warnings[0].Message, "attempt 2 of 4, in 2 s");
        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(2) }, waits);

        Assert.IsFalse(Task(failures: 99, retries: 1).Execute());
        Assert.AreEqual("2", File.ReadAllText(Path.Combine(tree.Root, "runs")).Trim(), "the first attempt and one more");
        StringAssert.Contains(engine.Errors.Last().Message, "failed to get state for index 0");
    }

    [TestMethod]
    public void ABakeThatLostItsEngineIsNotRunAgainAndSaysSo()
    {
        // The same runner as a single build's: a failure buildx names (here the engine going away) is never retried.
        using var tree = Shop();
        var engine = new RecordingBuildEngine();
        var task = StandInBake(tree, engine, "echo 'ERROR: failed to receive status: rpc error: code = Unavailable desc = error reading from server: EOF' >&2; exit 1");
        task.Wait = (_, _) => throw new AssertFailedException("no second attempt");

        Assert.IsFalse(task.Execute());
        Assert.AreEqual("1", File.ReadAllText(Path.Combine(tree.Root, "runs")).Trim());
        Assert.AreEqual("STV2005", engine.Errors.Single().Code, string.Join("\n", engine.Errors.Select(e => e.Message)));
    }

    // The Api project's bake, run by a `docker` that counts its runs in `runs` ($n), then runs `body`.
    private static BakeContainerImages StandInBake(TempTree tree, RecordingBuildEngine engine, string body)
    {
        var fragment = Path.Combine(tree.Root, "src/Api/obj/stevedore/bake-target.json");
        File.WriteAllText(fragment, Target(tree, "Api").ToJson().ToJsonString());
        var docker = tree.File("bin/docker", $$"""
            #!/bin/sh
            n=$(cat "{{tree.Root}}/runs" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "{{tree.Root}}/runs"
            {{body}}
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(docker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new()
        {
            BuildEngine = engine,
            ToolPath = Path.Combine(tree.Root, "bin"),
            Targets = [new TaskItem(fragment, new Dictionary<string, string> { ["ReportDirectory"] = Path.GetDirectoryName(fragment)! + "/", ["Plan"] = PlanNextTo(fragment) })],
            DefinitionFile = Path.Combine(tree.Root, "obj/stevedore/Shop/bake.json"),
            ReadCurrentDigest = _ => null,
        };
    }

    // A context with a library and a service, the service's generated Dockerfile and ignore file under its obj/.
    private static TempTree Shop()
    {
        var tree = new TempTree();
        tree.File("nuget.config", "<configuration />");
        tree.File("src/Lib/Lib.csproj");
        tree.File("src/Lib/Greeter.cs", "class Greeter { }");
        tree.File("src/Api/Api.csproj");
        tree.File("src/Api/Program.cs", "System.Console.WriteLine();");
        tree.File("src/Api/obj/stevedore/Dockerfile", Dockerfile);
        tree.File("src/Api/obj/stevedore/Dockerfile.dockerignore", "**/bin\n**/obj\n");
        return tree;
    }

    private static BakeTarget Target(TempTree tree, string project, string tag = "1.0", string? epoch = "1700000000", bool push = true) =>
        BakeTarget.From(project, new BuildxCommand
        {
            Platforms = ContainerPlatform.ParseList("linux/amd64;linux/arm64"),
            DockerfilePath = Path.Combine(tree.Root, $"src/{project}/obj/stevedore/Dockerfile"),
            ContextPath = tree.Root,
            Tags = [$"127.0.0.1:5000/shop/{project.ToLowerInvariant()}:{tag}"],
            Push = push,
            SourceDateEpoch = epoch,
        });

    // The project's build plan, as its pipeline writes it next to the bake target: what the project's report reads.
    private static string PlanNextTo(string fragment)
    {
        var target = BakeTarget.FromJson(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(fragment))!.AsObject());
        var folder = Path.GetDirectoryName(fragment)! + "/";
        var path = Path.Combine(folder, BuildPlanFile.FileName);
        BuildPlanFile.Write(path, new BuildPlan
        {
            Project = "Api",
            Platforms = [.. target.Platforms.Select(ContainerPlatform.Parse)],
            Dockerfile = "Dockerfile",
            Context = folder,
            Images = target.Tags,
            Push = target.Push,
            Files = new PlanFiles { ReportDirectory = folder },
            Reads = Reads(target),
        });
        return path;
    }

    // What the generator's model says the target's Dockerfile reads (the plan's Reads); here read from the test's file.
    private static DockerfileReads? Reads(BakeTarget target) =>
        target.Target["dockerfile"]?.GetValue<string>() is { } path && File.Exists(path) ? DockerfileReads.Parse(File.ReadAllText(path)) : null;
}
