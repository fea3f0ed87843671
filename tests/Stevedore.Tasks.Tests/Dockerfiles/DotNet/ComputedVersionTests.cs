using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Dockerfiles.DotNet;
using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Tests.Dockerfiles.DotNet;

/// <summary>
/// A version computed from git on the host (MinVer, Nerdbank.GitVersioning, GitVersion) reaches the container's publish
/// as properties, the git version tools are switched off there, and the restore step never carries the version.
/// </summary>
[TestClass]
public sealed class ComputedVersionTests
{
    private static readonly KeyValuePair<string, string>[] MinVer =
    [
        new("Version", "4.5.6-beta.1"),
        new("AssemblyVersion", "4.0.0.0"),
        new("InformationalVersion", "4.5.6-beta.1+build;7,x"),
    ];

    [TestMethod]
    [DataRow("linux/amd64;linux/arm64", false, DisplayName = "compiled once")]
    [DataRow("linux/amd64;linux/arm64", true, DisplayName = "per platform")]
    public void PublishGetsTheVersionsAndRestoreOnlyTheSwitches(string platforms, bool selfContained)
    {
        var lines = Lines(MinVer, platforms, selfContained);

        var restore = lines.Single(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        StringAssert.Contains(restore, " -p:StevedoreVersionFromHost=true -p:MinVerSkip=true -p:DisableGitVersionTask=true -p:NBGV_GitEngine=Disabled");
        Assert.DoesNotContain("4.5.6", restore, "a new version must not re-run restore");
        var publishes = lines.Where(l => l.Contains("dotnet publish", StringComparison.Ordinal) || l.Contains("-t:StevedorePublishPlatforms", StringComparison.Ordinal)).ToList();
        Assert.IsNotEmpty(publishes);
        foreach (var publish in publishes)
        {
            StringAssert.Contains(publish, " -p:Version=4.5.6-beta.1 -p:AssemblyVersion=4.0.0.0 -p:InformationalVersion=\"4.5.6-beta.1+build%3B7%2Cx\"",
                "each value one shell word, ';' and ',' escaped for MSBuild");
            StringAssert.Contains(publish, "-p:MinVerSkip=true");
        }
    }

    [TestMethod]
    public void APlainVersionChangesNothing()
    {
        var text = string.Join("\n", Lines([], "linux/amd64;linux/arm64", selfContained: false));

        Assert.DoesNotContain("MinVerSkip", text);
        Assert.DoesNotContain("-p:Version", text);
    }

    // Each commit's version (MinVer, Nerdbank) must not start an empty obj/ cache: the mount is the command's without it.
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ANewVersionKeepsTheCompileStepsObjCache(bool selfContained)
    {
        static string Mount(string[] lines) => lines.Single(l => l.StartsWith("RUN --network=none --mount=type=cache,id=stevedore-obj-", StringComparison.Ordinal)).Split(' ')[2];
        var first = Lines([new("Version", "1.0.0")], "linux/amd64,linux/arm64", selfContained);
        var next = Lines([new("Version", "1.0.1-alpha.0.3")], "linux/amd64,linux/arm64", selfContained);

        Assert.AreEqual(Mount(first), Mount(next));
        Assert.IsTrue(next.Any(l => l.Contains("-p:Version=1.0.1-alpha.0.3", StringComparison.Ordinal)), "the compile still gets the new version");
    }

    [TestMethod]
    public void ShellQuoteLeavesVersionsBareAndQuotesTheRest()
    {
        Assert.AreEqual("1.2.3-rc.1+abc", DockerfileWriter.ShellQuote("1.2.3-rc.1+abc"));
        Assert.AreEqual("\"1.0 \\$HOME\"", DockerfileWriter.ShellQuote("1.0 $HOME"));
    }

    private static string[] Lines(IReadOnlyList<KeyValuePair<string, string>> versions, string platforms, bool selfContained)
    {
        var model = DotnetDockerfile.Create(new DotnetDockerfileInputs
        {
            BuildImage = "mcr.microsoft.com/dotnet/sdk:10.0",
            Image = new FinalImage { BaseImage = "mcr.microsoft.com/dotnet/runtime:10.0", User = "1654" },
            ProjectPath = "src/App/App.csproj",
            RestoreInputs = [new RestoreInput(RestoreInputKind.Project, "/repo/src/App/App.csproj", "src/App/App.csproj")],
            SourceInputs = ["src/App/"],
            AssemblyName = "App",
            SelfContained = selfContained,
            Platforms = ContainerPlatform.ParseList(platforms),
            PerPlatformReason = selfContained ? "self-contained" : null,
            ComputedVersions = versions,
        });
        return DockerfileWriter.Write(model, "# test").Split('\n');
    }
}
