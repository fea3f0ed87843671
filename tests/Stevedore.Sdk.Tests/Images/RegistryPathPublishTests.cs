using Stevedore.Testing;

namespace Stevedore.Sdk.Tests.Images;

/// <summary>ContainerRegistry with a path (ghcr.io/my-org): generation only, nothing built.</summary>
[TestClass]
public sealed class RegistryPathPublishTests
{
    [TestMethod]
    public void TheTagAndTheCacheRefLiveUnderTheRegistrysPath()
    {
        var project = new SampleProject("registry-path", ReferenceMode.GlobalJson);
        project.Publish(
            "ContainerBuild=false",
            "ContainerBaseImageRegistry=127.0.0.1:5000",
            "ContainerRegistry=127.0.0.1:5000/my-org",
            "ContainerImageTag=dev",
            "ContainerCacheRef=app-cache",
            "ContainerCacheBranch=main").EnsureSuccess();

        var command = project.Generated("buildx-command.txt");
        StringAssert.Contains(command, " --tag 127.0.0.1:5000/my-org/app:dev --push ");
        StringAssert.Contains(command, " --cache-from type=registry,ref=127.0.0.1:5000/my-org/app-cache:main ");
        StringAssert.Contains(command, " --cache-to type=registry,ignore-error=true,mode=max,ref=127.0.0.1:5000/my-org/app-cache:main ");
        project.Delete();
    }
}
