using Microsoft.Build.Utilities;
using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Inputs.Go;
using Stevedore.Tasks.Dockerfiles.Go;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Tests.Dockerfiles.Go;

[TestClass]
public sealed class GoldenGoDockerfileTests
{
    private const string Mirror = "127.0.0.1:5000";

    [TestMethod]
    public void ServiceWithLocalReplace()
    {
        using var tree = new TempTree();
        tree.Folder(".git");
        var project = tree.File("api.goproj");
        tree.File("go.mod", "module example.com/api\n\ngo 1.24\n\nrequire example.com/greet v0.0.0\n\nreplace example.com/greet => ./greet\n");
        tree.File("go.sum", "");
        tree.File("greet/go.mod", "module example.com/greet\n\ngo 1.24\n");
        tree.File("main.go", "package main\n");
        Golden.AssertMatches("go-service.Dockerfile", Generate(project, ports: [new ContainerPort(8080)]));
    }

    [TestMethod]
    public void TestsRunOnTheBuildPlatformBeforeTheImage()
    {
        using var tree = new TempTree();
        tree.Folder(".git");
        var project = tree.File("api.goproj");
        tree.File("go.mod", "module example.com/api\n\ngo 1.24\n");
        tree.File("go.sum", "");
        tree.File("main.go", "package main\n");
        var text = Generate(project, tests: true);
        Golden.AssertMatches("go-tests.Dockerfile", text);

        // The build and final stages are those without tests, but for the build stage waiting for tests-passed.
        var without = Generate(project);
        var build = text[text.IndexOf(" AS build\n", StringComparison.Ordinal)..];
        Assert.AreEqual(without[without.IndexOf(" AS build\n", StringComparison.Ordinal)..],
            System.Text.RegularExpressions.Regex.Replace(build, "# Waits for the tests[^\n]*\nCOPY --from=tests-passed [^\n]*\n", string.Empty));
    }

    [TestMethod]
    public void WorkspaceModuleInCmdWithTagsLabelsAndScratch()
    {
        using var tree = new TempTree();
        tree.Folder(".git");
        tree.File("go.work", "go 1.23\n\nuse (\n\t./services/api\n\t./libs/greet\n)\n");
        var project = tree.File("services/api/api.goproj");
        tree.File("services/api/go.mod", "module api\n\ngo 1.23\n");
        tree.File("services/api/go.sum", "");
        tree.File("services/api/cmd/api/main.go", "package main\n");
        tree.File("libs/greet/go.mod", "module greet\n\ngo 1.22\n");
        Golden.AssertMatches("go-workspace.Dockerfile", Generate(
            project,
            baseImage: "scratch",
            tags: ["netgo", "osusergo"],
            ldflags: "-s -w -X main.version=1.2.3 -X 'main.banner=hi $USER'",
            env: [new("GODEBUG", "http2server=0")],
            labels: [new("org.opencontainers.image.version", "1.2.3"), new("team", "platform")]));
    }

    [TestMethod]
    public void CgoRunsPerTargetPlatform()
    {
        using var tree = new TempTree();
        var project = tree.File("app.goproj");
        tree.File("go.mod", "module app\n\ngo 1.24\n");
        tree.File("main.go", "package main\n");
        Golden.AssertMatches("go-cgo.Dockerfile", Generate(project, cgo: true, baseImage: "127.0.0.1:5000/debian:bookworm-slim", syntax: "docker/dockerfile:1.7"));
    }

    [TestMethod]
    public void VendoredModuleSkipsTheDownloadAndPrecompilesFromVendor()
    {
        using var tree = new TempTree();
        var project = tree.File("app.goproj");
        tree.File("go.mod", "module app\n\ngo 1.24\n");
        tree.File("go.sum", "");
        tree.File("vendor/modules.txt", "");
        tree.File("main.go", "package main\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/lib/greet\"\n)\n");
        tree.File("main_test.go", "package main\n\nimport \"testing\"\n");
        var text = Generate(project);
        Assert.DoesNotContain("go mod download", text);
        var lines = text.Split('\n').ToList();
        var vendor = lines.IndexOf("COPY [\"vendor/\", \"/src/vendor/\"]");
        var precompile = lines.FindIndex(l => l.Contains(" go list -e ", StringComparison.Ordinal));
        var sources = lines.IndexOf("COPY [\".\", \"/src/\"]");
        Assert.IsTrue(vendor > 0 && vendor < precompile && precompile < sources, text);
        StringAssert.Contains(lines[precompile], " example.com/lib/greet net/http | xargs -r go build -trimpath");
        Assert.DoesNotContain("testing", lines[precompile], "test-only imports are not compiled for the image");
    }

    [TestMethod]
    public void DockerIgnore()
    {
        Golden.AssertMatches("go.dockerignore", DockerIgnoreWriter.WritePatterns(GeneratedFileHeader.Generated, GoDockerIgnore.Patterns("services/api", usesVendor: false, excludeTestData: true)));
        var vendored = GoDockerIgnore.Patterns(string.Empty, usesVendor: true, excludeTestData: false);
        Assert.DoesNotContain("**/vendor", vendored);
        Assert.DoesNotContain("**/testdata", vendored);
        CollectionAssert.IsSubsetOf(new[] { "bin", "obj", "**/.env*", "**/*.pem", "**/*.key", "**/id_rsa*", "**/.git" }, vendored.ToArray());
    }

    [TestMethod]
    public void GenerationIsDeterministic()
    {
        using var tree = new TempTree();
        var project = tree.File("app.goproj");
        tree.File("go.mod", "module app\n\ngo 1.24\n");
        tree.File("main.go", "package main\n");
        Assert.AreEqual(Generate(project), Generate(project));
    }

    [TestMethod]
    public void CgoWarnsWithItsCode()
    {
        using var tree = new TempTree();
        var engine = new RecordingBuildEngine();
        var task = new GenerateGoDockerfile
        {
            BuildEngine = engine,
            DockerfilePath = Path.Combine(tree.Root, "obj", "Dockerfile"),
            BuildImage = "golang:1.24",
            BaseImage = "debian:bookworm-slim",
            User = "65532:65532",
            MainPackage = ".",
            CgoEnabled = true,
            Platforms = [.. ContainerPlatform.ParseList("linux/amd64;linux/arm64").Select(PlatformItems.ToItem)],
        };
        Assert.IsTrue(task.Execute());
        Assert.AreEqual("STV1021", engine.Warnings.Single().Code);
        StringAssert.StartsWith(engine.Warnings.Single().Message, "GoCgoEnabled=true: the Go build stage runs once per target platform (linux/amd64,linux/arm64)");
        Assert.IsTrue(File.Exists(task.DockerfilePath + ".dockerignore"));
    }

    private static string Generate(
        string project,
        string baseImage = "gcr.io/distroless/static:nonroot",
        bool cgo = false,
        string[]? tags = null,
        string ldflags = "-s -w -X main.version=dev",
        string? syntax = null,
        ContainerPort[]? ports = null,
        KeyValuePair<string, string>[]? env = null,
        KeyValuePair<string, string>[]? labels = null,
        bool tests = false)
    {
        var inputs = GoInputs.Compute(project);
        var images = new Stevedore.Tasks.Images.ResolveContainerImages
        {
            BuildEngine = new RecordingBuildEngine(),
            DefaultBuildImage = inputs.DefaultBuildImage,
            ComputedBaseImage = baseImage,
            BaseImageRegistry = Mirror,
            Repository = "api",
            Tags = ["1.0.0"],
        };
        Assert.IsTrue(images.Execute());
        var model = GoDockerfile.Create(new GoDockerfileInputs
        {
            BuildImage = images.BuildImage,
            Image = new FinalImage
            {
                BaseImage = baseImage == "scratch" ? "scratch" : images.BaseImage,
                User = "65532:65532",
                WorkingDirectory = "/",
                Ports = ports ?? [],
                EnvironmentVariables = env ?? [],
                Labels = labels ?? [],
            },
            ModuleFolder = inputs.ModuleFolder,
            ModuleFiles = inputs.Files,
            SourceFolders = inputs.SourceFolders,
            MainPackage = GoMainPackage.Find(Path.GetDirectoryName(project)!),
            BuildTags = tags ?? [],
            Ldflags = ldflags,
            CgoEnabled = cgo,
            RunTests = tests,
            UsesVendor = inputs.UsesVendor,
            DependencyPackages = inputs.DependencyPackages,
            Syntax = syntax,
        });
        return DockerfileWriter.Write(model, GeneratedFileHeader.Generated);
    }
}
