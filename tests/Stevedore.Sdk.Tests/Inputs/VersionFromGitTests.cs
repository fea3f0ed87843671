using Stevedore.Testing;

namespace Stevedore.Sdk.Tests.Inputs;

/// <summary>Versions computed from git in targets (MinVer, Nerdbank.GitVersioning) reach the image's tag and labels.</summary>
[TestClass]
public sealed class VersionFromGitTests
{
    [TestMethod]
    public void AVersionTargetThatRunsBeforeGetAssemblyVersionSetsTheVersionLabel()
    {
        var project = new SampleProject("version-from-git", ReferenceMode.SdkElementWithVersion);
        // What MinVer does, in a few lines: Version and PackageVersion from the latest tag, in a target before GetAssemblyVersion.
        project.Write("Directory.Build.targets", """
            <Project>
              <Target Name="VersionFromGitTag" BeforeTargets="GetAssemblyVersion" Condition="Exists('$(MSBuildThisFileDirectory).git')">
                <Exec Command="git describe --tags --abbrev=0" ConsoleToMSBuild="true" StandardOutputImportance="low" WorkingDirectory="$(MSBuildThisFileDirectory)">
                  <Output TaskParameter="ConsoleOutput" PropertyName="Version" />
                </Exec>
                <PropertyGroup>
                  <PackageVersion>$(Version)</PackageVersion>
                </PropertyGroup>
              </Target>
            </Project>
            """);
        Git(project.Root, "add", "-A");
        Git(project.Root, "-c", "user.name=Stevedore", "-c", "user.email=tests@127.0.0.1", "commit", "-qm", "first");
        Git(project.Root, "tag", "4.5.6");

        project.Publish("ContainerBuild=false").EnsureSuccess();

        var dockerfile = project.Generated("Dockerfile");
        StringAssert.Contains(dockerfile, "\"org.opencontainers.image.version\"=\"4.5.6\"");
        // The build stage has no .git: its publish gets the version, its restore never does (a new tag must not re-run it).
        var lines = dockerfile.Split('\n');
        var publishes = lines.Where(l => l.Contains("dotnet publish", StringComparison.Ordinal) || l.Contains("-t:StevedorePublishPlatforms", StringComparison.Ordinal)).ToList();
        Assert.IsNotEmpty(publishes, dockerfile);
        Assert.IsTrue(publishes.All(l => l.Contains(" -p:Version=4.5.6 -p:PackageVersion=4.5.6 ", StringComparison.Ordinal)), dockerfile);
        Assert.DoesNotContain("4.5.6", lines.Single(l => l.Contains("dotnet restore", StringComparison.Ordinal)));
        project.Delete();
    }

    private static void Git(string folder, params string[] arguments) => CommandRunner.Run("git", arguments, folder).EnsureSuccess();
}
