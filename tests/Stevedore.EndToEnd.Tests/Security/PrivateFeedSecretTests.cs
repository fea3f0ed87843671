using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Security;

/// <summary>
/// The sample published with a nuget.config that holds a password for its local feed (a folder feed ignores it, so
/// restore still works): the password reaches restore only as a BuildKit secret and appears in no output at all.
/// Also: both pushed platform images run as a non-root user.
/// </summary>
[TestClass]
public sealed class PrivateFeedSecretTests
{
    private static DotNetSample sample = null!;
    private static string password = null!;

    [ClassInitialize]
    public static void PublishWithPassword(TestContext context)
    {
        Stevedore.Testing.Engine.Require();
        sample = new DotNetSample("private-feed");
        password = "stv-secret-" + Guid.NewGuid().ToString("N");
        sample.Edit("nuget.config", config => config.Replace("</configuration>", $"""
              <packageSourceCredentials>
                <sample-packages>
                  <add key="Username" value="stevedore" />
                  <add key="ClearTextPassword" value="{password}" />
                </sample-packages>
              </packageSourceCredentials>
            </configuration>
            """));
        sample.Publish();
    }

    [TestMethod]
    public void PasswordIsInNoLayerConfigLogOrGeneratedFile()
    {
        var generated = Directory.EnumerateDirectories(Path.Combine(sample.Folder, "src", "Api", "obj"), "stevedore", SearchOption.AllDirectories).Single();
        var dockerfile = File.ReadAllText(Path.Combine(generated, "Dockerfile"));
        StringAssert.Contains(dockerfile, "--mount=type=secret,id=nugetconfig", "restore reads the nuget.config as a secret");
        var search = new LeakSearch(password);

        foreach (var image in PushedImage.Read(DotNetSample.Repository, sample.Tag))
        {
            search.Search($"{image.Platform} config", image.ConfigBytes);
            foreach (var (digest, _) in image.Layers)
            {
                search.Search($"{image.Platform} layer {digest}", PushedImage.LayerTar(DotNetSample.Repository, digest));
            }
        }

        // Dockerfile, .dockerignore, buildx-command.txt, metadata.json, progress, report.
        foreach (var file in Directory.EnumerateFiles(generated, "*", SearchOption.AllDirectories))
        {
            search.SearchFile(file);
        }

        search.SearchFile(Path.Combine(sample.Root, "publish-1.log"));
        search.SearchBinlog(Path.Combine(sample.Root, "publish-1.binlog"));

        var control = new LeakSearch(password);
        control.SearchFile(Path.Combine(sample.Folder, "nuget.config"));
        Assert.HasCount(1, control.Found, "the search finds the password where it is");
        Assert.IsEmpty(search.Found, $"the nuget.config password leaked into:\n{string.Join('\n', search.Found)}");
        foreach (var name in new[] { "Dockerfile.dockerignore", "buildx-command.txt", "metadata.json", "stevedore-report.json" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(generated, name)), $"{name} was not searched: it is not in {generated}");
        }

        Assert.IsGreaterThan(10, search.Searched, "too few places searched");
    }

    [TestMethod]
    public void BothPlatformImagesRunAsNonRoot()
    {
        var images = PushedImage.Read(DotNetSample.Repository, sample.Tag).Where(i => i.Platform.StartsWith("linux/", StringComparison.Ordinal)).ToList();

        CollectionAssert.AreEquivalent(DotNetSample.Platforms, images.Select(i => i.Platform).ToArray());
        foreach (var image in images)
        {
            var user = image.User.Split(':')[0];
            Assert.IsFalse(string.IsNullOrEmpty(user), $"{image.Platform} has no User: it runs as root");
            Assert.IsFalse(user is "root" or "0", $"{image.Platform} runs as {image.User}");
        }
    }
}
