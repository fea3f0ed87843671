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

    // The names the SDK's ComputeContainerConfig still honours, set in the project as its users have them: one row each.
    [TestMethod]
    [DataRow("<ContainerImageName>shop/old-name</ContainerImageName>", @" --tag 127\.0\.0\.1:5000/shop/old-name:latest --push ", "STV1041")]
    [DataRow("<ContainerImageName>shop/old-name</ContainerImageName><ContainerRepository>shop/new-name</ContainerRepository>", @" --tag 127\.0\.0\.1:5000/shop/old-name:latest --push ", "STV1041")]
    [DataRow("<RegistryUrl>127.0.0.1:5000/vs</RegistryUrl>", @" --tag 127\.0\.0\.1:5000/vs/app:latest --push ", null)]
    [DataRow("<PublishImageTag>vs-1</PublishImageTag>", @" --tag 127\.0\.0\.1:5000/app:vs-1 --push ", null)]
    [DataRow("<AutoGenerateImageTag>true</AutoGenerateImageTag>", @" --tag 127\.0\.0\.1:5000/app:20[0-9]{12} --push ", null)]
    [DataRow("<ContainerImageTag>dev</ContainerImageTag><ContainerImageTags>1.0;stable</ContainerImageTags>", @" --tag 127\.0\.0\.1:5000/app:1\.0 --tag 127\.0\.0\.1:5000/app:stable --push ", "STV1042")]
    public void TheSdksOlderImageNamesNameTheImage(string properties, string tags, string? warning)
    {
        var project = new SampleProject("sdk-names", ReferenceMode.GlobalJson, extraProperties: properties);
        var result = project.Publish("ContainerBuild=false", "ContainerBaseImageRegistry=127.0.0.1:5000", "ContainerRegistry=127.0.0.1:5000").EnsureSuccess();
        StringAssert.Matches(project.Generated("buildx-command.txt"), new System.Text.RegularExpressions.Regex(tags));
        if (warning is null)
        {
            Assert.DoesNotContain("warning STV104", result.Output);
        }
        else
        {
            StringAssert.Contains(result.Output, $"warning {warning}: ");
        }

        Assert.DoesNotContain(": warning CONTAINER", result.Output, "the SDK's own container targets do not run");
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
