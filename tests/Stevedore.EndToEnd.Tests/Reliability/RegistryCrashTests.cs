using System.Text.RegularExpressions;
using Stevedore.EndToEnd.Tests.DotNet;

namespace Stevedore.EndToEnd.Tests.Reliability;

/// <summary>
/// The push registry dies while buildx pushes: one coded error and no stack trace, the tag still names the image it
/// named before, and a re-run after the registry is back succeeds. Uses a registry of its own, never 127.0.0.1:5000.
/// </summary>
[TestClass]
public sealed partial class RegistryCrashTests
{
    [TestInitialize]
    public void RequireEngine() => Stevedore.Testing.Engine.Require();

    [TestMethod]
    public void RegistryKilledMidPushKeepsTheTagAndARerunSucceeds()
    {
        var sample = new DotNetSample("registry-crash");
        using var registry = new OwnRegistry(Path.Combine(sample.Root, "registry"));
        var push = $"ContainerRegistry={registry.Address}";
        sample.Publish(push);
        var before = registry.Digest(DotNetSample.Repository, sample.Tag);
        Assert.IsNotNull(before, $"the first publish pushed no {sample.Tag}");

        sample.Edit("src/Greetings/Greeter.cs", code => code.Replace(" ships ", $" ships {sample.Tag} "));
        using (var publish = BackgroundPublish.Start(sample, push))
        {
            // Frozen as the export starts, the registry holds the push at its first request; killed once buildx says it is pushing.
            Assert.IsTrue(publish.WaitUntil(() => publish.Output.Contains("exporting to image", StringComparison.Ordinal), TimeSpan.FromMinutes(10)), $"the build never reached its export:\n{publish.Output}");
            registry.Freeze();
            Assert.IsTrue(publish.WaitUntil(() => Pushing().IsMatch(publish.Output), TimeSpan.FromMinutes(2)), $"buildx never said it was pushing:\n{publish.Output}");
            registry.Kill();

            Assert.IsTrue(publish.WaitForExit(TimeSpan.FromMinutes(5)), $"the publish still runs 5 minutes after its registry died:\n{publish.Output}");
            Assert.AreNotEqual(0, publish.ExitCode, publish.Output);
            Assert.MatchesRegex(StvError(), publish.Output, "a coded STV error");
            Assert.DoesNotContain("   at ", publish.Output, "no stack trace");
        }

        registry.Start();
        Assert.AreEqual(before, registry.Digest(DotNetSample.Repository, sample.Tag), "the failed push moved the tag");

        sample.Publish(push);
        var after = registry.Digest(DotNetSample.Repository, sample.Tag);
        Assert.IsNotNull(after);
        Assert.AreNotEqual(before, after, "the re-run pushed the edited image");
    }

    [GeneratedRegex(@"#\d+ pushing ")]
    private static partial Regex Pushing();

    [GeneratedRegex(@"error STV\d{4}: ")]
    private static partial Regex StvError();
}
