using System.Text.RegularExpressions;
using Stevedore.EndToEnd.Tests.DotNet;
using Stevedore.EndToEnd.Tests.Realistic;
using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Engine;

/// <summary>
/// A remote engine reached over TLS, as the GitLab dind recipe sets it up (DOCKER_HOST=tcp://…, DOCKER_TLS_VERIFY,
/// DOCKER_CERT_PATH): a second dockerd of the test's own on 127.0.0.1 with certificates made by the test. Preflight
/// and the build both go through it; without a client certificate the publish stops with one coded error.
/// </summary>
[TestClass]
public sealed partial class TlsEngineTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void PublishBuildsBothPlatformsOnAnEngineReachedOverTls()
    {
        using var engine = FreshEngine.Start(tls: true);
        var sample = new DotNetSample("tls-engine");

        RealisticPublish.On(engine, sample);

        Assert.IsGreaterThan(0, engine.BuildCacheRecords(), "the build ran on the TLS engine");
        var pushed = RegistryImage.Find(DotNetSample.Repository, sample.Tag);
        Assert.IsNotNull(pushed, $"{sample.Image} is not in the registry");
        CollectionAssert.AreEquivalent(PinnedSample.Platforms, pushed.Platforms.ToArray());
        var port = RunningApp.FreePort();
        using var container = RunningContainer.Start(sample.Image, "linux/amd64", [$"ASPNETCORE_URLS=http://127.0.0.1:{port}"]);
        Assert.IsFalse(string.IsNullOrWhiteSpace(container.GetWhenReady($"http://127.0.0.1:{port}/", TimeSpan.FromMinutes(3))));

        // The same engine without a client certificate: it refuses the connection, and preflight says so in one coded error.
        var noClientCertificate = Directory.CreateDirectory(Path.Combine(sample.Root, "ca-only")).FullName;
        File.Copy(Path.Combine(engine.CertPath, "ca.pem"), Path.Combine(noClientCertificate, "ca.pem"));
        var environment = new Dictionary<string, string?>(PinnedSample.Environment!);
        foreach (var (name, value) in engine.Environment)
        {
            environment[name] = value;
        }

        environment["DOCKER_CERT_PATH"] = noClientCertificate;
        var refused = CommandRunner.Run("dotnet", sample.PublishArguments(), sample.Folder, environment, TimeSpan.FromMinutes(10));
        File.WriteAllText(Path.Combine(sample.Root, "publish-refused.log"), refused.Output);
        Assert.AreNotEqual(0, refused.ExitCode, $"a publish the engine refuses must fail:\n{refused.Output}");
        var errors = StvError().Matches(refused.Output).Select(m => m.Value.Trim()).Distinct().ToList();
        Assert.HasCount(1, errors, $"exactly one coded error:\n{refused.Output}");
        StringAssert.StartsWith(errors[0], "error STV2", "an engine error from preflight");
        Assert.DoesNotContain("   at ", refused.Output, "no stack trace");
    }

    [GeneratedRegex(@"error STV\d{4}: [^\r\n]*")]
    private static partial Regex StvError();
}
