using System.Net;
using System.Net.Sockets;
using Stevedore.Sdk.Tests.Go;
using Stevedore.Testing;

namespace Stevedore.Sdk.Tests.Images;

/// <summary>ContainerPinBaseImages=true on the packed SDK against the local registry: both FROM lines carry the digest the registry gives for the tag.</summary>
[TestClass]
public sealed class PinBaseImagesPublishTests
{
    [TestMethod]
    public void DotnetFromLinesArePinnedToTheRegistrysDigests()
    {
        var project = new SampleProject("pin", ReferenceMode.GlobalJson);
        project.Publish("ContainerBuild=false", $"ContainerBaseImageRegistry={Repo.Registry}", "ContainerPinBaseImages=true").EnsureSuccess();

        var dockerfile = project.Generated("Dockerfile");
        StringAssert.Contains(dockerfile, $"FROM --platform=$BUILDPLATFORM {Repo.Registry}/dotnet/sdk:10.0@{Digest("dotnet/sdk", "10.0")} AS build\n");
        StringAssert.Contains(dockerfile, $"FROM {Repo.Registry}/dotnet/aspnet:10.0@{Digest("dotnet/aspnet", "10.0")} AS final\n");
        project.Delete();
    }

    [TestMethod]
    public void GoFromLinesArePinnedToTheRegistrysDigests()
    {
        var project = new GoProject("pin");
        project.Run("publish", "ContainerBuild=false", $"ContainerBaseImageRegistry={Repo.Registry}", "ContainerPinBaseImages=true").EnsureSuccess();

        var dockerfile = project.Generated("Dockerfile");
        StringAssert.Contains(dockerfile, $"FROM --platform=$BUILDPLATFORM {Repo.Registry}/golang:1.24@{Digest("golang", "1.24")} AS build\n");
        StringAssert.Contains(dockerfile, $"FROM {Repo.Registry}/distroless/static:nonroot@{Digest("distroless/static", "nonroot")} AS final\n");
        project.Delete();
    }

    [TestMethod]
    public void UnreachableRegistryIsStv3102NamingTheImageAndWritesNoDockerfile()
    {
        var project = new SampleProject("pin-down", ReferenceMode.GlobalJson);
        var mirror = $"127.0.0.1:{ClosedPort()}";
        var result = project.Publish("ContainerBuild=false", $"ContainerBaseImageRegistry={mirror}", "ContainerPinBaseImages=true");

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Output, $"error STV3102: The image '{mirror}/dotnet/sdk:10.0' (ContainerBuildImage) could not be pinned");
        Assert.DoesNotContain("   at ", result.Output, "no stack trace");
        Assert.IsFalse(File.Exists(Path.Combine(project.Obj, "stevedore", "Dockerfile")), "no Dockerfile with unpinned images");
        project.Delete();
    }

    /// <summary>What the local registry answers for a tag: the digest of its index (or manifest).</summary>
    private static string Digest(string repository, string tag)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{Repo.Registry}/v2/{repository}/manifests/{tag}");
        foreach (var type in new[] { "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json" })
        {
            request.Headers.Accept.Add(new(type));
        }

        using var response = http.Send(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
