using Stevedore.Testing;

namespace Stevedore.Sdk.Tests.Inputs;

/// <summary>The inputs come from MSBuild's own evaluation during the publish: no host restore, imports followed, bad ones refused.</summary>
[TestClass]
public sealed class ProjectInputsPublishTests
{
    [TestMethod]
    public void GeneratesWithoutAHostRestore()
    {
        var project = new SampleProject("no-restore", ReferenceMode.SdkElementWithVersion);
        project.Write("eng/Versions.props", "<Project><PropertyGroup><LibVersion>2.0.0</LibVersion></PropertyGroup></Project>\n");
        project.Write("Directory.Build.props", "<Project><Import Project=\"eng/Versions.props\" /></Project>\n");

        // The SDK resolves from the packed feed; nothing restores the project itself, so there is no project.assets.json.
        var result = CommandRunner.Run(
            "dotnet",
            ["publish", "src/App", "--no-restore", "-tl:off", "-nodeReuse:false", "-p:ContainerBuild=false", "-p:ContainerBaseImageRegistry=127.0.0.1:5000"],
            project.Root,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = PackedSdk.NuGetPackagesFolder },
            TimeSpan.FromMinutes(5)).EnsureSuccess();

        Assert.IsFalse(File.Exists(Path.Combine(project.Root, "src", "App", "obj", "project.assets.json")), "the host restored:\n" + result.Output);
        var dockerfile = project.Generated("Dockerfile");
        StringAssert.Contains(dockerfile, "COPY [\"eng/Versions.props\", \"eng/\"]\n");
        StringAssert.Contains(dockerfile, "COPY [\"src/App/\", \"src/App/\"]\nCOPY [\"src/Lib/\", \"src/Lib/\"]\n");
        Assert.DoesNotContain("COPY . .", dockerfile);
        project.Delete();
    }

    [TestMethod]
    public void AnImportOutsideTheRepositoryStopsThePublishWithStv1022()
    {
        var project = new SampleProject("outside-import", ReferenceMode.SdkElementWithVersion);
        var outside = Path.Combine(Path.GetDirectoryName(project.Root)!, Path.GetFileName(project.Root) + "-shared.props");
        File.WriteAllText(outside, "<Project><PropertyGroup><Shared>true</Shared></PropertyGroup></Project>\n");
        project.Write("Directory.Build.props", $"<Project><Import Project=\"{outside}\" /></Project>\n");

        var result = project.Publish("ContainerBuild=false");

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Output, $"error STV1022: '{outside}' (imported by {Path.Combine(project.Root, "src", "App", "App.csproj")}) is outside the repository '{project.Root}'");
        Assert.DoesNotContain("   at ", result.Output, "no stack trace");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Obj, "stevedore")) && File.Exists(Path.Combine(project.Obj, "stevedore", "Dockerfile")), "nothing generated");
        File.Delete(outside);
        project.Delete();
    }

    [TestMethod]
    public void LinkedSourcesAndPublishedContentFromOutsideTheProjectAreCopiedAlone()
    {
        var project = new SampleProject("linked", ReferenceMode.SdkElementWithVersion, extraItems: """
            <ItemGroup>
              <Compile Include="../../shared/**/*.cs" LinkBase="Shared" />
              <Content Include="../../config/app.json" Link="app.json" CopyToPublishDirectory="PreserveNewest" />
              <None Include="../../README.md" Link="README.md" />
            </ItemGroup>
            """);
        project.Write("shared/Clock.cs", "namespace Shared; public static class Clock { }\n");
        project.Write("config/app.json", "{}\n");
        project.Write("README.md", "# not published\n");
        project.Write("docs/index.md", "# not an input\n");

        project.Publish("ContainerBuild=false").EnsureSuccess();

        var dockerfile = project.Generated("Dockerfile");
        StringAssert.Contains(dockerfile, "COPY [\"config/app.json\", \"config/\"]\nCOPY [\"shared/Clock.cs\", \"shared/\"]\n");
        Assert.DoesNotContain("README.md", dockerfile);
        Assert.DoesNotContain("docs/", dockerfile);
        project.Delete();
    }
}
