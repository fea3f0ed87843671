using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Options;
using Stevedore.Tasks.Security;
using Stevedore.Tasks.Dockerfiles.DotNet;

namespace Stevedore.Tasks.Tests.Security;

[TestClass]
public sealed class DockerfileSecurityTests
{
    private const string Credentials = """
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources><clear /><add key="private" value="https://pkgs.example.com/nuget/v3/index.json" /></packageSources>
          <packageSourceCredentials>
            <private><add key="Username" value="ci" /><add key="ClearTextPassword" value="s3cr3t-value" /></private>
          </packageSourceCredentials>
        </configuration>
        """;

    private static string Dockerfile(IReadOnlyList<RestoreInput> inputs) =>
        DockerfileWriter.Write(DotnetDockerfile.Create(new DotnetDockerfileInputs
        {
            BuildImage = "mcr.microsoft.com/dotnet/sdk:10.0",
            Image = new FinalImage { BaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0", User = "1654" },
            ProjectPath = "src/Api/Api.csproj",
            RestoreInputs = inputs,
            AssemblyName = "Api",
            Secrets = NuGetConfigSecret.FindIn(inputs),
        }), GeneratedFileHeader.Generated);

    [TestMethod]
    public void EveryStepAfterRestoreHasNoNetwork()
    {
        var lines = Dockerfile([new RestoreInput(RestoreInputKind.Project, "/r/src/Api/Api.csproj", "src/Api/Api.csproj")]).Split('\n');
        var restore = Array.FindIndex(lines, l => l.StartsWith("RUN ", StringComparison.Ordinal) && l.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.IsGreaterThan(0, restore);
        var later = lines.Skip(restore + 1).Where(l => l.StartsWith("RUN ", StringComparison.Ordinal)).ToList();
        Assert.IsNotEmpty(later);
        foreach (var run in later)
        {
            StringAssert.StartsWith(run, "RUN --network=none ", "a step after restore must not reach the network: " + run);
        }
    }

    [TestMethod]
    public void TheFinalImageSwitchesUserOnlyAfterCopyingTheApp()
    {
        // The app's files are copied as root (read-only to the app user); the image then ends as the app user.
        var final = Dockerfile([]).Split("AS final\n")[1].Split('\n').ToList();
        var user = final.FindIndex(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.AreEqual("USER 1654", final[user]);
        Assert.IsGreaterThan(final.FindLastIndex(l => l.StartsWith("COPY ", StringComparison.Ordinal)), user);
    }

    [TestMethod]
    public void ANuGetConfigWithCredentialsIsASecretMountNeverACopy()
    {
        using var tree = new TempTree();
        var config = tree.File("nuget.config", Credentials);
        var plain = tree.File("src/nuget.config", "<configuration><packageSources /></configuration>");
        var text = Dockerfile(
        [
            new RestoreInput(RestoreInputKind.NuGetConfig, config, "nuget.config"),
            new RestoreInput(RestoreInputKind.NuGetConfig, plain, "src/nuget.config"),
            new RestoreInput(RestoreInputKind.Project, "/r/src/Api/Api.csproj", "src/Api/Api.csproj"),
        ]);

        Assert.DoesNotContain("COPY [\"nuget.config\"", text);
        StringAssert.Contains(text, "COPY [\"src/nuget.config\", \"src/\"]\n", "a config without credentials is copied as before");
        StringAssert.Contains(text, "RUN --mount=type=secret,id=nugetconfig,target=/src/nuget.config dotnet restore \"src/Api/Api.csproj\"");
        Assert.DoesNotContain("s3cr3t-value", text);
    }

    [TestMethod]
    public void SecretsAreFoundOnlyWhereCredentialsAre()
    {
        using var tree = new TempTree();
        var secret = NuGetConfigSecret.FindIn(
        [
            new RestoreInput(RestoreInputKind.NuGetConfig, tree.File("a/nuget.config", "<configuration><packageSourceCredentials /></configuration>"), "a/nuget.config"),
            new RestoreInput(RestoreInputKind.NuGetConfig, tree.File("b/NuGet.Config", Credentials), "b/NuGet.Config"),
            new RestoreInput(RestoreInputKind.NuGetConfig, tree.File("c/nuget.config", Credentials), "c/nuget.config"),
        ]);
        CollectionAssert.AreEqual(new[] { "nugetconfig", "nugetconfig-2" }, secret.Select(s => s.Id).ToArray());
        Assert.AreEqual("id=nugetconfig,src=" + Path.Combine(tree.Root, "b/NuGet.Config"), secret[0].BuildxSecret, "buildx gets the path, never the contents");
    }
}
