using Stevedore.Testing;

namespace Stevedore.Sdk.Tests;

/// <summary>ContainerRunTests on the packed SDK, generation only: which test projects the solution gives, their restore layer, and nothing changed without it.</summary>
[TestClass]
public sealed class RunTestsPublishTests
{
    [TestMethod]
    public void TheSolutionsTestsOfTheClosureGetATestStageAndTheAppsStagesStayAsTheyWere()
    {
        var project = new SampleProject("run-tests", ReferenceMode.GlobalJson);
        project.Write("All.slnx", """
            <Solution>
              <Project Path="src/App/App.csproj" />
              <Project Path="src/Lib/Lib.csproj" />
              <Folder Name="/tests/">
                <Project Path="tests/Lib.Tests/Lib.Tests.csproj" />
                <Project Path="tests/Other.Tests/Other.Tests.csproj" />
                <Project Path="tools/Tool/Tool.csproj" />
              </Folder>
            </Solution>
            """);
        // Not restored on the host: Microsoft.NET.Test.Sdk's props (which set IsTestProject) are not imported yet.
        project.Write("tests/Lib.Tests/Lib.Tests.csproj", TestProject("<ProjectReference Include=\"../../src/Lib/Lib.csproj\" />"));
        project.Write("tests/Lib.Tests/GreetingTests.cs", "public class GreetingTests { }\n");
        project.Write("tests/Directory.Build.props", "<Project><PropertyGroup><IsPackable>false</IsPackable></PropertyGroup></Project>\n");
        project.Write("tests/Other.Tests/Other.Tests.csproj", TestProject(string.Empty));
        project.Write("tools/Tool/Tool.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><ProjectReference Include=\"../../src/Lib/Lib.csproj\" /></ItemGroup></Project>\n");

        project.Publish("ContainerBuild=false", $"ContainerBaseImageRegistry={Repo.Registry}", "ContainerPlatforms=linux/amd64%3Blinux/arm64").EnsureSuccess();
        var without = project.Generated("Dockerfile");
        Assert.DoesNotContain(" AS test", without);
        Assert.DoesNotContain("tests/", without);

        var result = project.Publish("ContainerBuild=false", "ContainerRunTests=true", $"ContainerBaseImageRegistry={Repo.Registry}", "ContainerPlatforms=linux/amd64%3Blinux/arm64");
        result.EnsureSuccess();
        var dockerfile = project.Generated("Dockerfile");
        var test = dockerfile[..dockerfile.IndexOf(" AS test-results\n", StringComparison.Ordinal)];
        StringAssert.Contains(test, $"FROM --platform=$BUILDPLATFORM {Repo.Registry}/dotnet/sdk:10.0 AS test\n");
        var appRestore = test.IndexOf("RUN dotnet restore \"src/App/App.csproj\"", StringComparison.Ordinal);
        var testInputs = test.IndexOf("COPY [\"tests/Directory.Build.props\", \"tests/\"]\nCOPY [\"tests/Lib.Tests/Lib.Tests.csproj\", \"tests/Lib.Tests/\"]\n", StringComparison.Ordinal);
        var testRestore = test.IndexOf("RUN dotnet restore \"tests/Lib.Tests/Lib.Tests.csproj\"", StringComparison.Ordinal);
        var sources = test.IndexOf("COPY [\"tests/Lib.Tests/\", \"tests/Lib.Tests/\"]", StringComparison.Ordinal);
        Assert.IsTrue(appRestore > 0 && testInputs > appRestore && testRestore > testInputs && sources > testRestore,
            "the app's restore, then the test projects' restore inputs and their own restore, then the sources:\n" + test);
        StringAssert.Contains(test, "dotnet test \"tests/Lib.Tests/Lib.Tests.csproj\" --no-restore -c Release --logger \"trx;LogFileName=Lib.Tests.trx\" --results-directory /stevedore/tests");
        Assert.DoesNotContain("Other.Tests", dockerfile, "a test project that does not reach the app's closure");
        Assert.DoesNotContain("tools/Tool", dockerfile, "not a test project");
        StringAssert.Contains(result.Output, "ContainerRunTests runs tests/Lib.Tests/Lib.Tests.csproj");

        // The app's build and final stages are the same, but for the build stage waiting for the tests at its end.
        var gate = "# Waits for the tests (ContainerRunTests): no image unless they pass; an empty folder, in no image, so nothing after it changes.\n"
            + "COPY --from=tests-passed /stevedore/passed/ /stevedore/passed/\n";
        var build = dockerfile[dockerfile.IndexOf($"FROM --platform=$BUILDPLATFORM {Repo.Registry}/dotnet/sdk:10.0 AS build\n", StringComparison.Ordinal)..];
        StringAssert.Contains(build, gate);
        Assert.AreEqual(without[without.IndexOf(" AS build\n", StringComparison.Ordinal)..], build[build.IndexOf(" AS build\n", StringComparison.Ordinal)..].Replace(gate, string.Empty));
        project.Delete();
    }

    [TestMethod]
    public void NoTestProjectIsAWarningAndAMissingContainerTestProjectIsStv1302()
    {
        var project = new SampleProject("run-tests-none", ReferenceMode.GlobalJson);
        var result = project.Publish("ContainerBuild=false", "ContainerRunTests=true", $"ContainerBaseImageRegistry={Repo.Registry}");
        result.EnsureSuccess();
        StringAssert.Contains(result.Output, "warning STV1303: ContainerRunTests is true but no test project references");
        Assert.DoesNotContain(" AS test", project.Generated("Dockerfile"));

        project.Write("src/App/Directory.Build.targets", "<Project><ItemGroup><ContainerTestProject Include=\"../../tests/Missing/Missing.csproj\" /></ItemGroup></Project>\n");
        var missing = project.Publish("ContainerBuild=false", "ContainerRunTests=true", $"ContainerBaseImageRegistry={Repo.Registry}");
        Assert.AreNotEqual(0, missing.ExitCode);
        StringAssert.Contains(missing.Output, "error STV1302: ContainerTestProject '");
        StringAssert.Contains(missing.Output, "Missing.csproj' does not exist");
        Assert.DoesNotContain("   at ", missing.Output, "no stack trace");
        project.Delete();
    }

    [TestMethod]
    public void ASolutionProjectWhoseSdkThisMachineLacksIsSkippedAndNeverReadWhenTheTestsAreNamed()
    {
        var project = new SampleProject("run-tests-apphost", ReferenceMode.GlobalJson);
        project.Write("All.slnx", """
            <Solution>
              <Project Path="src/AppHost/AppHost.csproj" />
              <Project Path="src/App/App.csproj" />
              <Project Path="src/Lib/Lib.csproj" />
              <Project Path="tests/AppHost.Tests/AppHost.Tests.csproj" />
              <Project Path="tests/Lib.Tests/Lib.Tests.csproj" />
            </Solution>
            """);
        // An Aspire AppHost: its SDK comes from a feed this machine does not have (the workload's, or nuget.org).
        project.Write("src/AppHost/AppHost.csproj", """
            <Project Sdk="Aspire.AppHost.Sdk/9.0.0">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><IsAspireHost>true</IsAspireHost></PropertyGroup>
              <ItemGroup><ProjectReference Include="../App/App.csproj" /></ItemGroup>
            </Project>
            """);
        project.Write("tests/AppHost.Tests/AppHost.Tests.csproj", TestProject("<ProjectReference Include=\"../../src/AppHost/AppHost.csproj\" />"));
        project.Write("tests/Lib.Tests/Lib.Tests.csproj", TestProject("<ProjectReference Include=\"../../src/Lib/Lib.csproj\" />"));
        project.Write("tests/Lib.Tests/GreetingTests.cs", "public class GreetingTests { }\n");

        var found = project.Publish("ContainerBuild=false", "ContainerRunTests=true", $"ContainerBaseImageRegistry={Repo.Registry}");
        found.EnsureSuccess();
        StringAssert.Contains(found.Output, "ContainerRunTests runs tests/Lib.Tests/Lib.Tests.csproj");
        Assert.DoesNotContain("STV1023", found.Output);
        foreach (var skipped in new[] { "src/AppHost/AppHost.csproj", "tests/AppHost.Tests/AppHost.Tests.csproj" })
        {
            StringAssert.Contains(found.Output, $"warning STV1040: MSBuild could not evaluate '{Path.Combine(project.Root, skipped)}'");
        }

        StringAssert.Contains(found.Output, "Aspire.AppHost.Sdk", "the warning carries MSBuild's reason");
        StringAssert.Contains(project.Generated("Dockerfile"), "dotnet test \"tests/Lib.Tests/Lib.Tests.csproj\"");
        Assert.DoesNotContain("src/AppHost", project.Generated("Dockerfile"));
        Assert.DoesNotContain("tests/AppHost.Tests", project.Generated("Dockerfile"));

        // Named, the test project and its closure are all that is read: nothing to warn about.
        project.Write("src/App/Directory.Build.targets", "<Project><ItemGroup><ContainerTestProject Include=\"../../tests/Lib.Tests/Lib.Tests.csproj\" /></ItemGroup></Project>\n");
        var named = project.Publish("ContainerBuild=false", "ContainerRunTests=true", $"ContainerBaseImageRegistry={Repo.Registry}");
        named.EnsureSuccess();
        StringAssert.Contains(named.Output, "ContainerRunTests runs tests/Lib.Tests/Lib.Tests.csproj");
        Assert.DoesNotContain("STV1040", named.Output);
        Assert.DoesNotContain("STV1023", named.Output);
        project.Delete();
    }

    private static string TestProject(string reference) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
          <ItemGroup>{reference}</ItemGroup>
          <ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" /></ItemGroup>
        </Project>
        """;
}
