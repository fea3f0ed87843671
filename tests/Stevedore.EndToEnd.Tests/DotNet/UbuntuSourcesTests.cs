using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.DotNet;

/// <summary>
/// The OS package stages run on the build platform and fetch indexes for both architectures, while an Ubuntu image lists
/// only its own architecture's mirror (archive/security.ubuntu.com serve amd64 and i386, ports.ubuntu.com the rest). The
/// sources step of the Dockerfile samples/dotnet generates runs, as written, in the aspnet stand-in of each platform with
/// the real image's sources (the stand-in's Debian mirror setting removed); apt then lists, without fetching anything,
/// where it would take every architecture's index from.
/// </summary>
[TestClass]
public sealed class UbuntuSourcesTests
{
    private const string Archive = "http://archive.ubuntu.com/ubuntu/";
    private const string Security = "http://security.ubuntu.com/ubuntu/";
    private const string Ports = "http://ports.ubuntu.com/ubuntu-ports/";

    /// <summary>What the real image has once the stand-in's pointer to the Debian mirror is gone.</summary>
    private const string RealSources = "rm /etc/apt/apt.conf.d/99stand-in-mirror";

    private static readonly Lazy<string> SourcesStep = new(GenerateSourcesStep);

    [TestInitialize]
    public void RequireEngine()
    {
        Stevedore.Testing.Engine.Require();
        RegistryImage.RequireStandIn("dotnet/aspnet:10.0");
    }

    [TestMethod]
    [DataRow("linux/amd64")]
    [DataRow("linux/arm64")]
    public void EachArchitecturesIndexesComeFromTheUbuntuMirrorThatServesIt(string platform)
    {
        var targets = IndexTargets(platform, RealSources);

        AssertServedBy(targets, "amd64", Archive, Security);
        AssertServedBy(targets, "arm64", Ports);
        Assert.IsTrue(targets.Contains(("amd64", Security + "dists/noble-security/main/binary-amd64/Packages")), "amd64 security updates from security.ubuntu.com");
        Assert.IsTrue(targets.Contains(("arm64", Ports + "dists/noble-security/main/binary-arm64/Packages")), "arm64 security updates from ports");
        Assert.IsTrue(targets.Contains(("arm64", Ports + "dists/noble-updates/universe/binary-arm64/Packages")), "every suite and component has its ports twin");
    }

    [TestMethod]
    public void OneLineSourcesAreSplitTheSameWay()
    {
        var targets = IndexTargets("linux/amd64", RealSources,
            "rm /etc/apt/sources.list.d/ubuntu.sources",
            $"echo 'deb {Archive} noble main' >/etc/apt/sources.list",
            $"echo 'deb {Security} noble-security main' >/etc/apt/sources.list.d/security.list");

        AssertServedBy(targets, "amd64", Archive, Security);
        AssertServedBy(targets, "arm64", Ports);
        Assert.IsTrue(targets.Contains(("arm64", Ports + "dists/noble-security/main/binary-arm64/Packages")), string.Join('\n', targets));
    }

    [TestMethod]
    public void ASitesOwnMirrorAndDebiansStayAsTheyAre()
    {
        // The stand-in as it is: apt reads the Debian mirror its packages come from, like a base with a site's own mirror.
        var debian = IndexTargets("linux/amd64");
        AssertServedBy(debian, "amd64", "http://deb.debian.org/debian/", "http://security.debian.org/debian-security/");
        AssertServedBy(debian, "arm64", "http://deb.debian.org/debian/", "http://security.debian.org/debian-security/");

        var site = IndexTargets("linux/amd64", RealSources,
            "printf 'Types: deb\\nURIs: http://mirror.example.com/ubuntu/\\nSuites: noble\\nComponents: main\\n' >/etc/apt/sources.list.d/ubuntu.sources");
        AssertServedBy(site, "amd64", "http://mirror.example.com/ubuntu/");
        AssertServedBy(site, "arm64", "http://mirror.example.com/ubuntu/");
    }

    /// <summary>
    /// Runs <paramref name="setup"/>, the generated sources step and `apt-get indextargets` (apt's list of the indexes an
    /// update would fetch, offline) for amd64 and arm64 in the aspnet stand-in of <paramref name="platform"/>.
    /// </summary>
    private static HashSet<(string Architecture, string Uri)> IndexTargets(string platform, params string[] setup)
    {
        var script = string.Join(" && ", setup.Append($"( {SourcesStep.Value} )")
            .Append("apt-get -o APT::Architectures::=amd64 -o APT::Architectures::=arm64 indextargets --no-release-info --format '$(ARCHITECTURE) $(URI)' 'Identifier: Packages'"));
        var result = CommandRunner.Docker("run", "--rm", "--pull", "always", "--network", "none", "--platform", platform, "--entrypoint", "sh",
            $"{Repo.Registry}/dotnet/aspnet:10.0", "-c", script).EnsureSuccess();
        var targets = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 2)).Select(p => (p[0], p[1])).ToHashSet();
        Assert.IsTrue(targets.Count > 0, "apt lists no index at all:\n" + result.Output);
        return targets;
    }

    private static void AssertServedBy(HashSet<(string Architecture, string Uri)> targets, string architecture, params string[] mirrors)
    {
        var uris = targets.Where(t => t.Architecture == architecture).Select(t => t.Uri).ToList();
        Assert.IsTrue(uris.Count > 0, $"no {architecture} index:\n" + string.Join('\n', targets));
        var elsewhere = uris.Where(u => !mirrors.Any(m => u.StartsWith(m, StringComparison.Ordinal))).ToList();
        Assert.AreEqual(0, elsewhere.Count, $"{architecture} indexes not from {string.Join(" or ", mirrors)}:\n" + string.Join('\n', elsewhere));
    }

    /// <summary>The first RUN of the os-lists stage samples/dotnet generates (it has a ContainerOsPackage), joined as BuildKit joins it.</summary>
    private static string GenerateSourcesStep()
    {
        var sample = new DotNetSample(nameof(UbuntuSourcesTests));
        sample.Publish("ContainerBuild=false");
        var generated = Directory.EnumerateDirectories(Path.Combine(sample.Folder, "src", "Api", "obj"), "stevedore", SearchOption.AllDirectories).Single();
        var lines = File.ReadAllLines(Path.Combine(generated, "Dockerfile"));
        var start = Array.FindIndex(lines, Array.FindIndex(lines, l => l.EndsWith(" AS os-lists", StringComparison.Ordinal)), l => l.StartsWith("RUN ", StringComparison.Ordinal));
        var step = new List<string>();
        for (var i = start; ; i++)
        {
            step.Add(lines[i].EndsWith('\\') ? lines[i][..^1] : lines[i]);
            if (!lines[i].EndsWith('\\'))
            {
                break;
            }
        }

        return string.Concat(step)["RUN ".Length..];
    }
}
