using System.Runtime.InteropServices;
using System.Text.Json;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>The sample is an ordinary app: with Stevedore.Sdk in it, plain `dotnet run` still works on the host.</summary>
[TestClass]
public sealed class HostRunTests
{
    [TestMethod]
    public void SampleAnswersUnderDotnetRun()
    {
        var sample = new DotNetSample(nameof(SampleAnswersUnderDotnetRun));
        var port = RunningApp.FreePort();
        var environment = DotNetSample.Environment;
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";

        using var app = RunningProcess.Start("dotnet", ["run", "--project", "src/Api"], sample.Folder, environment);
        var root = JsonDocument.Parse(app.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3))).RootElement;

        Assert.AreEqual(RuntimeInformation.OSArchitecture.ToString(), root.GetProperty("arch").GetString());
        Assert.AreEqual("Dotnet api ships two platforms", root.GetProperty("greeting").GetString());
        Assert.AreEqual("healthy", app.GetWhenReady($"http://127.0.0.1:{port}/healthz", TimeSpan.FromMinutes(3)));
    }
}
