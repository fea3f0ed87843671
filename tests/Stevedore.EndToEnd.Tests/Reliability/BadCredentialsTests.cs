using System.Text;
using System.Text.RegularExpressions;
using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>
/// The push registry (one of the test's own, htpasswd basic auth) refuses the credentials of DOCKER_CONFIG: one coded
/// error naming the registry with a hint to docker login, no stack trace, and no tag pushed.
/// </summary>
[TestClass]
public sealed partial class BadCredentialsTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void WrongCredentialsEndWithOneCodedErrorNamingTheRegistry()
    {
        var sample = new DotNetSample("bad-credentials");
        using var registry = new OwnRegistry(Path.Combine(sample.Root, "registry"), OwnRegistry.WriteHtpasswd(sample.Root));

        // A docker config of its own: the wrong password for that registry, and the same buildx plugin.
        var dockerConfig = registry.DockerConfig(Path.Combine(sample.Root, "docker-config"), "wrong-password");

        var environment = new Dictionary<string, string?>(EnginePublish.Environment!) { ["DOCKER_CONFIG"] = dockerConfig };
        var publish = CommandRunner.Run("dotnet", sample.PublishArguments($"ContainerRegistry={registry.Address}"), sample.Folder, environment, TimeSpan.FromMinutes(20));
        File.WriteAllText(Path.Combine(sample.Root, "publish.log"), publish.Output);

        Assert.AreNotEqual(0, publish.ExitCode, $"a push the registry refused must fail:\n{publish.Output}");
        var errors = StvError().Matches(publish.Output).Select(m => m.Value.Trim()).Distinct().ToList();
        Assert.HasCount(1, errors, $"exactly one coded error (MSBuild repeats it in its summary):\n{publish.Output}");
        StringAssert.StartsWith(errors[0], "error STV2004: ", "the push-refused error, not the generic buildx one");
        StringAssert.Contains(errors[0], registry.Address, "the error names the registry");
        StringAssert.Contains(errors[0], "docker login", "the error says how to fix it");
        Assert.DoesNotContain("   at ", publish.Output, "no stack trace");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{registry.Address}/v2/{DotNetSample.Repository}/manifests/{sample.Tag}");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(OwnRegistry.User + ":" + OwnRegistry.Password)));
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        Assert.AreEqual(System.Net.HttpStatusCode.NotFound, http.Send(request).StatusCode, "the refused push left a tag");
    }

    [GeneratedRegex(@"error STV\d{4}: [^\r\n]*")]
    private static partial Regex StvError();
}
