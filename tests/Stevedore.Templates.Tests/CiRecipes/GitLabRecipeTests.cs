using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.Templates.Tests.CiRecipes;

/// <summary>
/// The GitLab recipes run for real: gitlab-ci-local runs the `publish` job of docs/ci/gitlab-ci.yml, and of the
/// webapi template's .gitlab-ci.yml, in a repository of a user's shape, against the local engine and registry; the
/// job pushes both platforms, the per-branch cache lands, and each platform's image answers.
/// <para>
/// The runner is a shell runner on a host whose engine is the docker socket, the variant the recipes' header names:
/// a file of the test's own includes the recipe unchanged and drops the docker:dind service and its TLS variables (no
/// image can be pulled here, dind's included). The job's `image:` is not used by a shell runner: the host's dotnet and
/// docker CLI run the recipe's before_script and script. BUILDKIT_IMAGE names the local BuildKit image, and the
/// stand-in base images come in through ContainerBaseImageRegistry, as in every end-to-end test.
/// </para>
/// </summary>
[TestClass]
public sealed class GitLabRecipeTests
{
    private const string RunnerWithSocket = "runner-with-socket.gitlab-ci.yml";

    [TestInitialize]
    public void RequireEngine()
    {
        Stevedore.Testing.Engine.Require();
        RegistryImage.RequireStandIn("dotnet/sdk:10.0");
        RegistryImage.RequireStandIn("dotnet/aspnet:10.0");
        if (RegistryImage.Find("moby/buildkit", "v0.13") is null)
        {
            throw new InvalidOperationException($"The BuildKit image {Repo.Registry}/moby/buildkit:v0.13 is not in the local registry. Run `eng/buildkit-image.sh` (eng/test.sh does).");
        }
    }

    [TestMethod]
    public void DocsRecipePublishesBothPlatformsThatAnswer()
    {
        var root = Repo.NewStandaloneRepository("gitlab-docs");
        var project = Path.Combine(root, "src", "Api");
        Directory.CreateDirectory(project);
        InstalledTemplates.New("stevedore-webapi", "Api", project, "--feed", "packages");
        PackedSdk.CopySdkPackageTo(Path.Combine(project, "packages"));
        File.Copy(Path.Combine(CiTools.RecipesFolder, "gitlab-ci.yml"), Path.Combine(root, ".gitlab-ci.yml"));

        RunPublishJobAndCheck(root, "api", "Api");
    }

    [TestMethod]
    public void TemplatePipelinePublishesBothPlatformsThatAnswer()
    {
        var project = TemplateProject.WithLocalFeed("stevedore-webapi", "ShopApi");
        CommandRunner.Run("git", ["init", "-q", project.Folder]).EnsureSuccess();

        RunPublishJobAndCheck(project.Folder, project.Repository, "ShopApi");
    }

    /// <summary>The engine this machine's docker CLI talks to.</summary>
    private static string MachineEngine => Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";

    private static void RunPublishJobAndCheck(string root, string repository, string service)
    {
        File.WriteAllText(Path.Combine(root, RunnerWithSocket), $"""
            # This machine's runner: a shell runner whose engine is the host's docker socket, not a docker:dind service.
            include:
              - local: .gitlab-ci.yml
            publish:
              services: []
              variables:
                DOCKER_HOST: {MachineEngine}
                DOCKER_TLS_VERIFY: ""
                DOCKER_CERT_PATH: ""
                DOCKER_TLS_CERTDIR: ""
            """);
        CommandRunner.Run("git", ["remote", "add", "origin", "https://gitlab.example.com/acme/shop.git"], root).EnsureSuccess();
        Repo.CommitAll(root, "2026-11-30T12:00:00Z");
        var sha = CommandRunner.Run("git", ["rev-parse", "--short=8", "HEAD"], root).EnsureSuccess().StdOut.Trim();
        var branch = CommandRunner.Run("git", ["rev-parse", "--abbrev-ref", "HEAD"], root).EnsureSuccess().StdOut.Trim();
        var namespacePath = "gitlab-recipes/" + Guid.NewGuid().ToString("N")[..12];

        var job = CommandRunner.Run(
            CiTools.GitLabCiLocal,
            [
                "--file", RunnerWithSocket, "--force-shell-executor", "--no-color",
                "--ignore-predefined-vars", "CI_REGISTRY,CI_REGISTRY_IMAGE,CI_REGISTRY_USER,CI_REGISTRY_PASSWORD",
                "--variable", $"CI_REGISTRY={Repo.Registry}",
                "--variable", $"CI_REGISTRY_IMAGE={Repo.Registry}/{namespacePath}",
                "--variable", "CI_REGISTRY_USER=stevedore",
                "--variable", "CI_REGISTRY_PASSWORD=the-local-registry-takes-any",
                "--variable", $"BUILDKIT_IMAGE={Repo.Registry}/moby/buildkit:v0.13",
                "--variable", $"ContainerBaseImageRegistry={Repo.Registry}",
                "--variable", "ContainerBuildNetwork=host",
                "publish",
            ],
            root,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = PackedSdk.NuGetPackagesFolder, ["DOCKER_CONFIG"] = OwnDockerConfig(root) },
            TimeSpan.FromMinutes(20));
        File.WriteAllText(Path.Combine(root, "..", Path.GetFileName(root) + ".gitlab-ci-local.log"), job.Output);

        Assert.AreEqual(0, job.ExitCode, job.Output);
        StringAssert.Contains(job.Output, "PASS  publish");
        Assert.DoesNotContain("STV3009", job.Output, "the cache export should work");

        foreach (var tag in new[] { sha, branch })
        {
            var pushed = RegistryImage.Find($"{namespacePath}/{repository}", tag);
            Assert.IsNotNull(pushed, $"{namespacePath}/{repository}:{tag} is not in the registry:\n{job.Output}");
            Assert.IsTrue(pushed.IsIndex, $"{tag}: a {pushed.MediaType}, not an index");
            CollectionAssert.AreEquivalent(EnginePublish.Platforms, pushed.Platforms.ToArray());
        }

        var cacheTags = CommandRunner.Run("curl", ["-fsS", $"http://{Repo.Registry}/v2/{namespacePath}/{repository}-cache/tags/list"]).EnsureSuccess().StdOut;
        StringAssert.Contains(cacheTags, $"\"{branch}\"", "the branch's cache was exported");

        var image = $"{Repo.Registry}/{namespacePath}/{repository}:{sha}";
        foreach (var (platform, arch) in new[] { ("linux/amd64", "X64"), ("linux/arm64", "Arm64") })
        {
            var port = RunningContainer.FreePort();
            using var container = RunningContainer.Start(image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
            // arm64 runs under QEMU: an ASP.NET app takes ~15 s to answer there.
            var answer = JsonDocument.Parse(container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3))).RootElement;
            Assert.AreEqual(service, answer.GetProperty("service").GetString());
            Assert.AreEqual(arch, answer.GetProperty("arch").GetString(), platform);
        }
    }

    /// <summary>A docker config of the job's own (its `docker login` and `buildx create --use` stay out of the machine's), with the machine's CLI plugins.</summary>
    private static string OwnDockerConfig(string root)
    {
        var machine = Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        var own = Path.Combine(root + ".docker");
        Directory.CreateDirectory(own);
        Directory.CreateSymbolicLink(Path.Combine(own, "cli-plugins"), Path.Combine(machine, "cli-plugins"));
        return own;
    }
}
