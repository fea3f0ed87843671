using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Engine;
using Stevedore.Tasks.Images;
using Stevedore.Tasks.Plan;
using Stevedore.Tasks.Platforms;
using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Tests.Plan;

/// <summary>The build plan: one model from ResolveImages, Generate and ResolveCache to Preflight, Build and Report.</summary>
[TestClass]
public sealed class BuildPlanTests
{
    private static readonly string[] Both = ["linux/amd64", "linux/arm64"];

    [TestMethod]
    public void ACommentInsideALineContinuationIsSkippedAsBuildKitDoes()
    {
        const string Dockerfile = """
            FROM --platform=$BUILDPLATFORM sdk AS build
            COPY ["a.csproj", \
            # the project's own packages
                  "b/"]
            RUN dotnet restore \

              && echo done
            FROM base
            COPY --from=build /app /app
            """;
        var instructions = DockerfileInstructions.Read(Dockerfile).ToList();
        CollectionAssert.AreEqual(new[] { "FROM", "COPY", "RUN", "FROM", "COPY" }, instructions.Select(i => i.Keyword).ToArray());
        Assert.AreEqual("""["a.csproj", "b/"]""", instructions[1].Arguments);
        var reads = DockerfileReads.Parse(Dockerfile)!;
        CollectionAssert.AreEqual(new[] { "a.csproj" }, reads.ContextPaths.ToArray(), "the comment is no source");
        Assert.IsEmpty(StepPlatforms.Find(Dockerfile, Both), "the RUN is on the build platform, not cut off by the comment");
    }

    [TestMethod]
    public void AHeredocsBodyBelongsToItsInstruction()
    {
        const string Dockerfile = """
            FROM sdk AS build
            COPY <<'EOF' /usr/local/bin/wait.sh
            # not a comment of the Dockerfile
            FROM evil
            COPY secrets/ /
            EOF
            COPY ["a.csproj", "b/"]
            RUN <<EOF
            ADD x y
            EOF
            FROM base
            """;
        var instructions = DockerfileInstructions.Read(Dockerfile).ToList();
        CollectionAssert.AreEqual(new[] { "FROM", "COPY", "COPY", "RUN", "FROM" }, instructions.Select(i => i.Keyword).ToArray());
        StringAssert.EndsWith(instructions[1].Arguments, "\nEOF");
        Assert.IsNull(DockerfileReads.Parse(Dockerfile), "a RUN heredoc is a script Stevedore cannot follow");
        var copyOnly = DockerfileReads.Parse(Dockerfile.Replace("RUN <<EOF\nADD x y\nEOF\n", string.Empty))!;
        CollectionAssert.AreEqual(new[] { "a.csproj" }, copyOnly.ContextPaths.ToArray(), "an inline file reads nothing from the context");
        CollectionAssert.AreEqual(new[] { "sdk", "base" }, copyOnly.Images.ToArray(), "the body's FROM is no stage");
    }

    [TestMethod]
    public void TheGeneratorsModelGivesWhatItsTextWouldGive()
    {
        var model = new DockerfileModel();
        model.Stages.Add(CoreSlots.AddScript(new DockerfileStage("sdk:10.0", "build", "$BUILDPLATFORM"))
            .Add("COPY", DockerfileWriter.JsonArray("Api/Api.csproj", "Api/"), "restore inputs first")
            .Add("RUN", "dotnet restore \\\n && echo restored"));
        model.Stages.Add(new DockerfileStage("aspnet:10.0", "final")
            .Add("COPY", "--from=build /app /app")
            .Add("RUN", "apt-get update \\\n && apt-get install -y curl"));
        var text = DockerfileWriter.Write(model, GeneratedFileHeader.Generated);

        Assert.AreEqual(string.Join("\n", DockerfileInstructions.Read(text)), string.Join("\n", DockerfileInstructions.Of(model)));
        CollectionAssert.AreEqual(Both, StepPlatforms.Find(DockerfileInstructions.Of(model), Both).ToArray());
        var fromModel = DockerfileReads.Parse(DockerfileInstructions.Of(model))!;
        CollectionAssert.AreEqual(DockerfileReads.Parse(text)!.ContextPaths.ToArray(), fromModel.ContextPaths.ToArray());
        CollectionAssert.AreEqual(new[] { "sdk:10.0", "aspnet:10.0" }, fromModel.Images.ToArray());
        CollectionAssert.AreEqual(new[] { "Api/Api.csproj" }, fromModel.ContextPaths.ToArray());
    }

    [TestMethod]
    public void PlatformsAndCacheSpecsTravelAsItemsIntoATypedDeterministicPlan()
    {
        using var tree = new TempTree();
        var images = new ResolveContainerImages
        {
            BuildEngine = new RecordingBuildEngine(),
            ComputedBaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0",
            TargetFrameworkVersion = "v10.0",
            Repository = "shop/api",
            Registry = "127.0.0.1:5000",
            Tags = ["1.0.0"],
            Platforms = "linux/amd64;linux/arm64,linux/arm/v7",
        };
        Assert.IsTrue(images.Execute());
        Assert.AreEqual("linux-arm", images.PlatformItems[2].GetMetadata("RuntimeIdentifier"));
        Assert.AreEqual("v7", images.PlatformItems[2].GetMetadata("Variant"));
        var cache = new ResolveContainerCache
        {
            BuildEngine = new RecordingBuildEngine(),
            CacheFrom = ["type=registry,ref=127.0.0.1:5000/c:main;type=local,src=/c"],
            CacheTo = ["type=registry,ref=127.0.0.1:5000/c:main,mode=max,ignore-error=true"],
            CheckReachable = false,
        };
        Assert.IsTrue(cache.Execute());

        var path = Path.Combine(tree.Root, "obj/stevedore", BuildPlanFile.FileName);
        var task = new WriteBuildPlan
        {
            BuildEngine = new RecordingBuildEngine(),
            PlanFile = path,
            Project = "Api",
            ProjectDirectory = tree.Root,
            IntermediateDirectory = Path.Combine(tree.Root, "obj/stevedore/"),
            Platforms = images.PlatformItems,
            Dockerfile = Path.Combine(tree.Root, "obj/stevedore/Dockerfile"),
            Generated = true,
            Context = tree.Root,
            Images = images.ImageReferences,
            Registry = "127.0.0.1:5000",
            CacheSpecs = cache.CacheSpecs,
            Secrets = [new TaskItem("nuget", new Dictionary<string, string> { ["Source"] = "/tmp/nuget.config" })],
            PushByDigest = true,
            StepPlatforms = [],
            ReadsNamed = true,
            ContextReads = ["Api/"],
            ReadImages = ["sdk:10.0", "aspnet:10.0"],
        };
        Assert.IsTrue(task.Execute());
        Assert.AreEqual("Api", task.BuildPlan!.GetMetadata("Project"));
        var written = File.GetLastWriteTimeUtc(path);
        var bytes = File.ReadAllText(path);

        var plan = BuildPlanFile.Read(path);
        CollectionAssert.AreEqual(new[] { "linux/amd64", "linux/arm64", "linux/arm/v7" }, plan.Platforms.Select(p => p.ToString()).ToArray());
        Assert.AreEqual("registry", plan.CacheTo.Single().Type);
        Assert.IsTrue(plan.CacheTo.Single().IsModeMax);
        Assert.AreEqual(CacheDirection.To, plan.CacheTo.Single().Direction);
        CollectionAssert.AreEqual(cache.ResolvedCacheFrom, plan.CacheFromArguments.ToArray());
        CollectionAssert.AreEqual(cache.ResolvedCacheTo, plan.CacheToArguments.ToArray());
        Assert.AreEqual(new PlanSecret("nuget", "/tmp/nuget.config"), plan.Secrets.Single());
        Assert.IsTrue(plan.Push);
        Assert.AreEqual(Path.Combine(tree.Root, "obj/stevedore/digests/Api.linux-amd64+linux-arm64+linux-arm-v7.digest"), plan.DigestFile);
        CollectionAssert.AreEqual(new[] { "Api/" }, plan.Reads!.ContextPaths.ToArray());
        Assert.IsEmpty(plan.StepPlatforms!);
        Assert.IsNull(plan.Files.TestResults, "no test stage runs: stale results must not count");
        Assert.AreEqual(bytes, BuildPlanFile.ToJson(plan), "written back, the plan is the same bytes");

        Assert.IsTrue(task.Execute());
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(path), "an unchanged plan is not rewritten");
    }

    [TestMethod]
    public void AUsersOwnDockerfileIsReadForItsStepPlatformsOnly()
    {
        using var tree = new TempTree();
        var dockerfile = tree.File("Dockerfile", "# syntax=docker/dockerfile:1\nFROM base\nRUN \\\n# install\n  apk add curl\n");
        var task = new WriteBuildPlan
        {
            BuildEngine = new RecordingBuildEngine(),
            PlanFile = Path.Combine(tree.Root, "plan.json"),
            Project = "Api",
            IntermediateDirectory = tree.Root,
            Platforms = [PlatformItems.ToItem(ContainerPlatform.Parse("linux/amd64")), PlatformItems.ToItem(ContainerPlatform.Parse("linux/arm64"))],
            Dockerfile = dockerfile,
            Context = tree.Root,
            ReadsNamed = true,
            BaseImages = ["sdk", "base"],
        };
        var plan = task.Create();
        CollectionAssert.AreEqual(Both, plan.StepPlatforms!.ToArray());
        Assert.IsNull(plan.Reads, "a user's Dockerfile is never judged unchanged");
        Assert.IsEmpty(plan.BaseImages);
    }

    [TestMethod]
    public void AnUnreadablePlanIsStv1043()
    {
        using var tree = new TempTree();
        var engine = new RecordingBuildEngine();
        var report = new WriteBuildReport { BuildEngine = engine, Plan = new TaskItem(tree.File("build-plan.json", "{\"version\": 99, ")) };
        Assert.IsFalse(report.Execute());
        Assert.AreEqual("STV1043", engine.Errors.Single().Code);
    }
}
