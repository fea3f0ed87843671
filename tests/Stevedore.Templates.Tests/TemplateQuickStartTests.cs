using Stevedore.Testing;

namespace Stevedore.Templates.Tests;

/// <summary>
/// The README's quick start as written: `dotnet new stevedore-webapi --registry &lt;registry&gt;/my-org`, then
/// `dotnet publish -p:ContainerImageTags=…` with nothing else about the registry or the platforms on the command line
/// (only this machine's stand-in base images and host network): the index lands under the registry's path.
/// </summary>
[TestClass]
public sealed class TemplateQuickStartTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void TheQuickStartPushesBothPlatformsUnderTheRegistrysPath()
    {
        RegistryImage.RequireStandIn("dotnet/sdk:10.0");
        RegistryImage.RequireStandIn("dotnet/aspnet:10.0");
        var project = new TemplateProject("stevedore-webapi", "ShopApi", "--registry", $"{Repo.Registry}/my-org");
        project.UseLocalFeed();

        var log = Path.Combine(project.Root, "quick-start");
        var output = EnginePublish.Run(
            ["publish", "-tl:off", "-v:n", $"-bl:{log}.binlog",
             $"-p:ContainerBaseImageRegistry={Repo.Registry}", "-p:ContainerBuildNetwork=host", $"-p:ContainerImageTags={project.Tag}"],
            project.Folder,
            $"{log}.log").Output;

        StringAssert.Contains(output, $"--tag {Repo.Registry}/my-org/shopapi:{project.Tag} --push");
        var pushed = RegistryImage.Find("my-org/shopapi", project.Tag);
        Assert.IsNotNull(pushed, $"{Repo.Registry}/my-org/shopapi:{project.Tag} is not in the registry");
        Assert.IsTrue(pushed.IsIndex, $"the image is a {pushed.MediaType}, not an index");
        CollectionAssert.AreEquivalent(TemplateProject.Platforms, pushed.Platforms.ToArray());
    }
}
