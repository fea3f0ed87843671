using Stevedore.Testing;

namespace Stevedore.Sdk.Tests.Dockerfiles;

/// <summary>The .NET SDK's container properties, set as SDK users set them, shape the generated image (generation only).</summary>
[TestClass]
public sealed class SdkPropertyParityPublishTests
{
    [TestMethod]
    public void RegistryPathTitleAndAppCommandArgs()
    {
        var project = new SampleProject("sdk-parity", ReferenceMode.GlobalJson,
            extraProperties: "<Description>Greets people</Description><Authors>Shop team</Authors>",
            extraItems: "<ItemGroup><ContainerDefaultArgs Include=\"--verbose\" /></ItemGroup>");
        project.Publish(
            "ContainerBuild=false",
            "ContainerBaseImageRegistry=127.0.0.1:5000",
            "ContainerRegistry=127.0.0.1:5000/my-org",
            "ContainerTitle=Shop API",
            "ContainerAppCommandArgs=--urls%3Bhttp://+:8080").EnsureSuccess();

        var dockerfile = project.Generated("Dockerfile");
        StringAssert.Contains(project.Generated("buildx-command.txt"), " --tag 127.0.0.1:5000/my-org/app:latest --push ");
        StringAssert.Contains(dockerfile, "LABEL \"org.opencontainers.image.title\"=\"Shop API\"\n");
        StringAssert.Contains(dockerfile, "LABEL \"org.opencontainers.image.description\"=\"Greets people\"\n");
        StringAssert.Contains(dockerfile, "LABEL \"org.opencontainers.image.authors\"=\"Shop team\"\n");
        StringAssert.Contains(dockerfile, "LABEL \"org.opencontainers.image.base.name\"=\"127.0.0.1:5000/dotnet/aspnet:10.0\"\n");
        StringAssert.Contains(dockerfile, "ENTRYPOINT [\"./App\", \"--urls\", \"http://+:8080\"]\nCMD [\"--verbose\"]\n");
        project.Delete();
    }

    [TestMethod]
    public void RuntimeIdentifiersAreThePlatformsWhenContainerPlatformsIsUnset()
    {
        var project = new SampleProject("sdk-rids", ReferenceMode.GlobalJson);
        project.Publish(
            "ContainerBuild=false",
            "ContainerBaseImageRegistry=127.0.0.1:5000",
            "ContainerRegistry=127.0.0.1:5000",
            "ContainerRuntimeIdentifiers=linux-x64%3Blinux-arm64").EnsureSuccess();
        StringAssert.Contains(project.Generated("buildx-command.txt"), " --platform linux/amd64,linux/arm64 ");
        project.Delete();
    }

    [TestMethod]
    public void PublishContainerRunsStevedoresBuildNotTheSdks()
    {
        var project = new SampleProject("publish-container", ReferenceMode.GlobalJson);
        var result = project.PublishTargets(null, ["PublishContainer"],
            "ContainerBuild=false",
            "ContainerBaseImageRegistry=127.0.0.1:5000",
            "ContainerRegistry=127.0.0.1:5000/my-org").EnsureSuccess();

        StringAssert.Contains(result.Output, "Stevedore: ContainerBuild=false, not running: docker buildx build ");
        StringAssert.Contains(project.Generated("buildx-command.txt"), " --tag 127.0.0.1:5000/my-org/app:latest --push ");
        // The SDK's container build logs "Building image …" and would push the (empty) host publish folder.
        Assert.DoesNotContain("Building image", result.Output);
        Assert.DoesNotContain("CONTAINER", result.Output);
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Root, "src", "App", "bin")), "the host built or published into bin/");
        project.Delete();
    }
}
