using System.Text.RegularExpressions;
using Stevedore.EndToEnd.Tests.Reliability;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>
/// ContainerPinBaseImages with a base image behind `docker login` (the test's own registry, htpasswd basic auth): the
/// digest is resolved with the docker CLI's credentials, buildx pulls the pinned image with them, both platforms are
/// built and pushed. Without the login the publish stops with STV3102 naming the image.
/// </summary>
[TestClass]
public sealed partial class PrivateBaseImageTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void APrivateBaseImagePinsWithTheDockerLoginAndBuildsForBothPlatforms()
    {
        var sample = new DotNetSample("private-base");
        using var registry = new OwnRegistry(Path.Combine(sample.Root, "registry"), OwnRegistry.WriteHtpasswd(sample.Root));
        var loggedIn = Environment(registry.DockerConfig(Path.Combine(sample.Root, "docker-config"), OwnRegistry.Password));
        var baseImage = $"{registry.Address}/private/aspnet:10.0";
        RegistryImage.RequireStandIn("dotnet/aspnet:10.0");
        // The stand-in's two-platform index, copied into the private registry with the login.
        CommandRunner.Run("docker", ["buildx", "imagetools", "create", "--tag", baseImage, $"{Repo.Registry}/dotnet/aspnet:10.0"], environment: loggedIn, timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
        var digest = CommandRunner.Run("docker", ["buildx", "imagetools", "inspect", baseImage, "--format", "{{json .Manifest}}"], environment: loggedIn).EnsureSuccess().StdOut;

        var publish = CommandRunner.Run("dotnet", sample.PublishArguments($"ContainerBaseImage={baseImage}", "ContainerPinBaseImages=true"), sample.Folder, loggedIn, TimeSpan.FromMinutes(20));
        File.WriteAllText(Path.Combine(sample.Root, "publish-private-base.log"), publish.Output);
        publish.EnsureSuccess();

        var dockerfile = File.ReadAllText(Directory.EnumerateFiles(Path.Combine(sample.Folder, "src", "Api", "obj"), "Dockerfile", SearchOption.AllDirectories).Single());
        var pinned = PinnedFrom().Match(dockerfile);
        Assert.IsTrue(pinned.Success, $"the final FROM is the private image, pinned:\n{dockerfile}");
        Assert.AreEqual(baseImage, pinned.Groups["image"].Value);
        StringAssert.Contains(digest, $"\"digest\": \"{pinned.Groups["digest"].Value}\"", "pinned to the index the private registry holds");
        var pushed = RegistryImage.Find(DotNetSample.Repository, sample.Tag);
        Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
        CollectionAssert.AreEquivalent(PinnedSample.Platforms, pushed.Platforms.ToArray());

        // The same publish without the login: one coded error naming the image, nothing generated over the pinned file.
        var anonymous = Environment(registry.DockerConfig(Path.Combine(sample.Root, "docker-config-anonymous"), password: null));
        var refused = CommandRunner.Run("dotnet", sample.PublishArguments($"ContainerBaseImage={baseImage}", "ContainerPinBaseImages=true"), sample.Folder, anonymous, TimeSpan.FromMinutes(10));
        File.WriteAllText(Path.Combine(sample.Root, "publish-anonymous.log"), refused.Output);
        Assert.AreNotEqual(0, refused.ExitCode, $"pinning without credentials must fail:\n{refused.Output}");
        StringAssert.Contains(refused.Output, $"error STV3102: The image '{baseImage}' (ContainerBaseImage) could not be pinned");
        StringAssert.Contains(refused.Output, "docker login", "the error says how to fix it");
        Assert.DoesNotContain("   at ", refused.Output, "no stack trace");
    }

    private static Dictionary<string, string?> Environment(string dockerConfig) =>
        new(EnginePublish.Environment!) { ["DOCKER_CONFIG"] = dockerConfig };

    [GeneratedRegex(@"FROM (?<image>\S+)@(?<digest>sha256:[a-f0-9]{64}) AS final")]
    private static partial Regex PinnedFrom();
}
