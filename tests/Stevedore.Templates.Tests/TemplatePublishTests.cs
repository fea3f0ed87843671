using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.Templates.Tests;

/// <summary>
/// `dotnet new` from each template, then `dotnet publish` on the real engine into the local registry: one index with
/// both platforms, and each platform's image starts and does its job.
/// </summary>
[TestClass]
public sealed class TemplatePublishTests
{
    private static readonly (string Platform, string DotNetArch, string GoArch)[] Architectures =
        [("linux/amd64", "X64", "amd64"), ("linux/arm64", "Arm64", "arm64")];

    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void WebApiAnswersOnBothPlatforms()
    {
        RegistryImage.RequireStandIn("dotnet/aspnet:10.0");
        var project = Published("stevedore-webapi", "ShopApi", "ShopApi.csproj");

        foreach (var (platform, arch, _) in Architectures)
        {
            var port = RunningContainer.FreePort();
            using var container = RunningContainer.Start(project.Image, platform, [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
            // arm64 runs under QEMU: an ASP.NET app takes ~15 s to answer there.
            var root = JsonDocument.Parse(container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3))).RootElement;
            Assert.AreEqual("ShopApi", root.GetProperty("service").GetString());
            Assert.AreEqual(arch, root.GetProperty("arch").GetString(), platform);
            Assert.AreEqual("healthy", container.GetWhenReady($"http://127.0.0.1:{port}/healthz", TimeSpan.FromMinutes(3)));
        }
    }

    [TestMethod]
    public void WorkerPrintsItsArchitectureOnBothPlatformsAndStopsCleanly()
    {
        RegistryImage.RequireStandIn("dotnet/runtime:10.0");
        var project = Published("stevedore-worker", "NightlyJobs", "NightlyJobs.csproj");

        foreach (var (platform, arch, _) in Architectures)
        {
            using var container = RunningContainer.Start(project.Image, platform, ["WORK_INTERVAL_SECONDS=1"]);
            container.WaitForLog($"NightlyJobs started on {arch}", TimeSpan.FromMinutes(3));
            container.WaitForLog("NightlyJobs round 2", TimeSpan.FromMinutes(3));

            CommandRunner.Docker("stop", "-t", "30", container.Id).EnsureSuccess();
            var exitCode = CommandRunner.Docker("inspect", "-f", "{{.State.ExitCode}}", container.Id).EnsureSuccess().StdOut.Trim();
            Assert.AreEqual("0", exitCode, $"{platform}: SIGTERM should end the worker cleanly:\n{container.Logs()}");
            StringAssert.Contains(container.Logs(), "NightlyJobs stopped", platform);
        }
    }

    [TestMethod]
    public void GoServiceAnswersOnBothPlatforms()
    {
        RegistryImage.RequireStandIn("golang:1.24");
        RegistryImage.RequireStandIn("distroless/static:nonroot");
        var project = Published("stevedore-go", "Pinger", "Pinger.goproj");

        foreach (var (platform, _, arch) in Architectures)
        {
            var port = RunningContainer.FreePort();
            using var container = RunningContainer.Start(project.Image, platform, ["HOST=127.0.0.1", $"PORT={port}"]);
            var root = JsonDocument.Parse(container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3))).RootElement;
            Assert.AreEqual("Pinger", root.GetProperty("service").GetString());
            Assert.AreEqual(arch, root.GetProperty("arch").GetString(), platform);
            Assert.AreEqual("healthy", container.GetWhenReady($"http://127.0.0.1:{port}/healthz", TimeSpan.FromMinutes(3)));
        }
    }

    /// <summary>Instantiates <paramref name="shortName"/>, publishes it and checks the registry holds one index with both platforms.</summary>
    private static TemplateProject Published(string shortName, string name, string projectFile)
    {
        RegistryImage.RequireStandIn("dotnet/sdk:10.0");
        var project = TemplateProject.WithLocalFeed(shortName, name);

        project.Publish(projectFile);

        var pushed = RegistryImage.Find(project.Repository, project.Tag);
        Assert.IsNotNull(pushed, $"{project.Image} is not in the registry");
        Assert.IsTrue(pushed.IsIndex, $"{project.Image} is a {pushed.MediaType}, not an index");
        CollectionAssert.AreEquivalent(TemplateProject.Platforms, pushed.Platforms.ToArray());
        return project;
    }
}
