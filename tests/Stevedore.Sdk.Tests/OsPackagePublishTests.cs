using Stevedore.Testing;

namespace Stevedore.Sdk.Tests;

/// <summary>ContainerOsPackage on the packed SDK, generation only: where the packages are installed, and the error for a base without a package manager.</summary>
[TestClass]
public sealed class OsPackagePublishTests
{
    private const string Packages = "<ItemGroup><ContainerOsPackage Include=\"curl;tzdata\" /></ItemGroup>";

    [TestMethod]
    public void AptPackagesAreUnpackedForTheTargetOnceAndTheImageEndsAsTheAppUser()
    {
        var project = new SampleProject("os-packages", ReferenceMode.GlobalJson, extraItems: Packages);
        var result = project.Publish("ContainerBuild=false", $"ContainerBaseImageRegistry={Repo.Registry}", "ContainerPlatforms=linux/amd64%3Blinux/arm64");
        result.EnsureSuccess();

        var dockerfile = project.Generated("Dockerfile");
        Assert.AreEqual(1, dockerfile.Split("--no-install-recommends curl tzdata").Length - 1, "one install of the packages");
        StringAssert.Contains(dockerfile, $"FROM --platform=$BUILDPLATFORM {Repo.Registry}/dotnet/aspnet:10.0 AS os-packages\n");
        var final = dockerfile[dockerfile.IndexOf(" AS final\n", StringComparison.Ordinal)..];
        StringAssert.Contains(final, "COPY --from=os-packages /stevedore/root/ /\n");
        Assert.DoesNotContain("RUN ", final, "nothing runs on a target platform");
        Assert.AreEqual("USER 1654", final.Split('\n').Last(l => l.StartsWith("USER ", StringComparison.Ordinal)), "non-root afterwards");
        StringAssert.Contains(result.Output, "OS packages curl, tzdata installed with apt (unpack");
        project.Delete();
    }

    [TestMethod]
    public void RunInstallsInTheFinalStageAsRootThenSwitchesBack()
    {
        var project = new SampleProject("os-packages-run", ReferenceMode.GlobalJson, extraProperties: "<ContainerOsPackageInstall>run</ContainerOsPackageInstall>", extraItems: Packages);
        project.Publish("ContainerBuild=false", $"ContainerBaseImageRegistry={Repo.Registry}").EnsureSuccess();

        var final = project.Generated("Dockerfile");
        final = final[final.IndexOf(" AS final\n", StringComparison.Ordinal)..];
        Assert.AreEqual(1, final.Split("apt-get install -y --no-install-recommends curl tzdata").Length - 1, "one install, in the final stage");
        StringAssert.Contains(final, "USER root\nRUN apt-get -o Acquire::Languages=none update");
        StringAssert.Contains(final, "rm -rf /var/lib/apt/lists/*");
        Assert.AreEqual("USER 1654", final.Split('\n').Last(l => l.StartsWith("USER ", StringComparison.Ordinal)));
        project.Delete();
    }

    [TestMethod]
    public void AChiseledBaseIsStv1201NamingTheBase()
    {
        var project = new SampleProject("os-packages-chiseled", ReferenceMode.GlobalJson, extraProperties: "<ContainerFamily>noble-chiseled</ContainerFamily>", extraItems: Packages);
        var result = project.Publish("ContainerBuild=false", $"ContainerBaseImageRegistry={Repo.Registry}");

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Output, $"error STV1201: ContainerOsPackage items are set but the base image '{Repo.Registry}/dotnet/aspnet:10.0-noble-chiseled-extra'");
        Assert.DoesNotContain("   at ", result.Output, "no stack trace");
        project.Delete();
    }
}
