using Stevedore.Testing;

namespace Stevedore.Sdk.Tests.Images;

/// <summary>ContainerLabels as a CI workflow hands it over (docker/metadata-action's `labels` output in an environment variable): generation only.</summary>
[TestClass]
public sealed class ContainerLabelsPublishTests
{
    [TestMethod]
    public void MetadataActionLabelsBecomeLabelLinesAndAnItemOfTheProjectWins()
    {
        var project = new SampleProject("container-labels", ReferenceMode.GlobalJson,
            extraItems: "<ItemGroup><ContainerLabel Include=\"team\" Value=\"from-the-project\" /></ItemGroup>");
        var environment = new Dictionary<string, string?>
        {
            ["ContainerLabels"] = "org.opencontainers.image.title=shop\norg.opencontainers.image.description=Orders; 100% tested\nteam=from-the-workflow\n",
        };

        project.Publish(environment, "ContainerBuild=false", "ContainerBaseImageRegistry=127.0.0.1:5000").EnsureSuccess();

        var dockerfile = project.Generated("Dockerfile");
        StringAssert.Contains(dockerfile, "\"org.opencontainers.image.description\"=\"Orders; 100% tested\"");
        StringAssert.Contains(dockerfile, "\"team\"=\"from-the-project\"");
        Assert.DoesNotContain("from-the-workflow", dockerfile);
        project.Delete();
    }
}
