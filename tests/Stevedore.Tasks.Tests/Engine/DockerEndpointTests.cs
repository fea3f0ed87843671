using Stevedore.Tasks.Engine;

namespace Stevedore.Tasks.Tests.Engine;

[TestClass]
public sealed class DockerEndpointTests
{
    private static string Resolve(TempTree home, params (string Name, string Value)[] environment) =>
        DockerEndpoint.Resolve(n => environment.FirstOrDefault(e => e.Name == n).Value, home.Root);

    [TestMethod]
    public void DockerHostWins()
    {
        using var home = new TempTree();
        home.File(".docker/config.json", """{"currentContext":"remote"}""");
        Assert.AreEqual("tcp://127.0.0.1:2375", Resolve(home, ("DOCKER_HOST", "tcp://127.0.0.1:2375")));
    }

    [TestMethod]
    public void NothingConfiguredIsTheDefaultSocket()
    {
        using var home = new TempTree();
        Assert.AreEqual("unix:///var/run/docker.sock", Resolve(home));
        home.File(".docker/config.json", "{ not json");
        Assert.AreEqual("unix:///var/run/docker.sock", Resolve(home));
    }

    [TestMethod]
    public void CurrentContextIsReadFromItsMetaFile()
    {
        using var home = new TempTree();
        home.File(".docker/config.json", """{"auths":{},"currentContext":"rootless"}""");
        // `docker context create rootless --docker host=unix:///run/user/1000/docker.sock` writes this.
        home.File(".docker/contexts/meta/" + DockerEndpoint.Sha256Hex("rootless") + "/meta.json",
            """{"Name":"rootless","Metadata":{"Description":""},"Endpoints":{"docker":{"Host":"unix:///run/user/1000/docker.sock","SkipTLSVerify":false}}}""");
        Assert.AreEqual("unix:///run/user/1000/docker.sock", Resolve(home));
    }

    [TestMethod]
    public void DockerContextAndDockerConfigVariablesAreHonoured()
    {
        using var home = new TempTree();
        var config = Path.Combine(home.Root, "elsewhere");
        home.File("elsewhere/contexts/meta/" + DockerEndpoint.Sha256Hex("ci") + "/meta.json", """{"Endpoints":{"docker":{"Host":"tcp://127.0.0.1:2376"}}}""");
        Assert.AreEqual("tcp://127.0.0.1:2376", Resolve(home, ("DOCKER_CONFIG", config), ("DOCKER_CONTEXT", "ci")));
        Assert.AreEqual("unix:///var/run/docker.sock", Resolve(home, ("DOCKER_CONFIG", config), ("DOCKER_CONTEXT", "default")));
    }

    [TestMethod]
    public void ContextFolderIsTheSha256OfTheName() =>
        // echo -n default | sha256sum
        Assert.AreEqual("37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f", DockerEndpoint.Sha256Hex("default"));
}
