using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Dockerfiles.DotNet;
using Stevedore.Tasks.Images;
using Stevedore.Tasks.Dockerfiles;

namespace Stevedore.Tasks.Tests.Diagnostics;

[TestClass]
public sealed partial class DiagnosticsTests
{
    private static ResolveContainerImages Images(RecordingBuildEngine engine) => new()
    {
        BuildEngine = engine,
        ComputedBaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0",
        TargetFrameworkVersion = "v10.0",
        Repository = "shop/api",
        Tags = ["1.0.0"],
    };

    private static string OnlyError(Func<RecordingBuildEngine, Microsoft.Build.Utilities.Task> make)
    {
        var engine = new RecordingBuildEngine();
        Assert.IsFalse(make(engine).Execute());
        var error = engine.Errors.Single();
        // MSBuild moves the STVnnnn prefix of the resource into Code; the console shows "error STVnnnn: message".
        Assert.IsFalse(error.Message!.StartsWith("STV", StringComparison.Ordinal));
        return error.Code + "|" + error.Code + ": " + error.Message;
    }

    [TestMethod]
    [DataRow("Shop/Api", "STV1002")]
    [DataRow("shop//api", "STV1002")]
    [DataRow("-api", "STV1002")]
    public void BadRepository(string repository, string code) =>
        StringAssert.StartsWith(OnlyError(e => { var t = Images(e); t.Repository = repository; return t; }), code + "|" + code + ": Container repository '" + repository + "'");

    [TestMethod]
    [DataRow(".hidden")]
    [DataRow("a:b")]
    [DataRow("way-too-long-tag-way-too-long-tag-way-too-long-tag-way-too-long-tag-way-too-long-tag-way-too-long-tag-way-too-long-tag-way-too-long")]
    public void BadTag(string tag) =>
        StringAssert.StartsWith(OnlyError(e => { var t = Images(e); t.Tags = [tag]; return t; }), "STV1003|");

    [TestMethod]
    [DataRow("https://registry.example.com")]
    [DataRow("registry.example.com/Team")]
    [DataRow("registry.example.com/team//api")]
    [DataRow("registry.example.com:port/team")]
    public void BadRegistry(string registry) =>
        StringAssert.StartsWith(OnlyError(e => { var t = Images(e); t.Registry = registry; return t; }), "STV1004|STV1004: Container registry '" + registry + "'");

    [TestMethod]
    public void BadMirrorIsStv1004() =>
        StringAssert.StartsWith(OnlyError(e => { var t = Images(e); t.BaseImageRegistry = "http://mirror"; return t; }), "STV1004|");

    [TestMethod]
    public void BadBuildImageIsStv1008() =>
        Assert.AreEqual(
            "STV1008|STV1008: Image reference 'Not An Image' given for ContainerBuildImage is not valid; use [registry/]repository[:tag][@digest], for example mcr.microsoft.com/dotnet/aspnet:10.0.",
            OnlyError(e => { var t = Images(e); t.UserBuildImage = "Not An Image"; return t; }));

    [TestMethod]
    public void ArchiveAndRegistryIsStv1011() =>
        StringAssert.StartsWith(OnlyError(e => { var t = Images(e); t.Registry = "r.example.com"; t.ArchiveOutputPath = "/o.tar"; return t; }), "STV1011|");

    [TestMethod]
    public void UnknownFrameworkIsStv1012() =>
        StringAssert.StartsWith(OnlyError(e => { var t = Images(e); t.TargetFrameworkVersion = ""; return t; }), "STV1012|");

    [TestMethod]
    public void NoBaseImageIsStv1013() =>
        StringAssert.StartsWith(OnlyError(e => { var t = Images(e); t.ComputedBaseImage = ""; return t; }), "STV1013|");

    [TestMethod]
    public void BadPlatformIsStv1001() =>
        StringAssert.StartsWith(OnlyError(e => { var t = Images(e); t.Platforms = "linux/amd64,windows/amd64"; return t; }), "STV1001|STV1001: Container platform 'windows/amd64'");

    [TestMethod]
    public void ResolvesTagsWithRegistry()
    {
        var t = Images(new RecordingBuildEngine());
        t.Registry = "127.0.0.1:5000";
        t.Tags = ["1.0.0;latest", "latest"];
        Assert.IsTrue(t.Execute());
        CollectionAssert.AreEqual(new[] { "127.0.0.1:5000/shop/api:1.0.0", "127.0.0.1:5000/shop/api:latest" }, t.ImageReferences);
    }

    private static GenerateDockerfile Generator(RecordingBuildEngine engine, string path) => new()
    {
        BuildEngine = engine,
        DockerfilePath = path,
        BuildImage = "mcr.microsoft.com/dotnet/sdk:10.0",
        BaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0",
        User = "1654",
        ProjectRelativePath = "Api/Api.csproj",
        AssemblyName = "Api",
    };

    [TestMethod]
    [DataRow("70000", "")]
    [DataRow("http", "")]
    [DataRow("80", "sctp")]
    public void BadPortIsStv1009(string port, string type)
    {
        using var tree = new TempTree();
        var item = new TaskItem(port);
        item.SetMetadata("Type", type);
        StringAssert.StartsWith(OnlyError(e => { var t = Generator(e, Path.Combine(tree.Root, "Dockerfile")); t.Ports = [item]; return t; }), "STV1009|");
    }

    [TestMethod]
    public void BadEnvironmentNameIsStv1010()
    {
        using var tree = new TempTree();
        StringAssert.StartsWith(OnlyError(e => { var t = Generator(e, Path.Combine(tree.Root, "Dockerfile")); t.EnvironmentVariables = [new TaskItem("1BAD")]; return t; }), "STV1010|");
    }

    [TestMethod]
    public void NeverOverwritesAUserFile()
    {
        using var tree = new TempTree();
        var path = tree.File("Dockerfile", "FROM mine\n");
        Assert.AreEqual($"STV4001|STV4001: '{path}' exists and was not generated by Stevedore, so it was not overwritten; delete or move it, or set ContainerDockerfile to use it as your own Dockerfile.",
            OnlyError(e => Generator(e, path)));
        Assert.AreEqual("FROM mine\n", File.ReadAllText(path));
        Assert.IsFalse(File.Exists(path + ".dockerignore"), "a refusal leaves nothing half-written");
    }

    [TestMethod]
    public void WritesOnlyWhenChanged()
    {
        using var tree = new TempTree();
        var path = Path.Combine(tree.Root, "obj", "Dockerfile");
        Assert.IsTrue(Generator(new RecordingBuildEngine(), path).Execute());
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);
        Assert.IsTrue(Generator(new RecordingBuildEngine(), path).Execute());
        Assert.AreEqual(stamp, File.GetLastWriteTimeUtc(path));
        var changed = Generator(new RecordingBuildEngine(), path);
        changed.AssemblyName = "Other";
        Assert.IsTrue(changed.Execute());
        Assert.AreNotEqual(stamp, File.GetLastWriteTimeUtc(path));
        Assert.IsEmpty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp-*"));
    }

    [TestMethod]
    public void EjectWritesUserOwnedFilesOnce()
    {
        using var tree = new TempTree();
        var path = Path.Combine(tree.Root, "Dockerfile");
        var eject = Generator(new RecordingBuildEngine(), path);
        eject.Eject = true;
        Assert.IsTrue(eject.Execute());
        Assert.IsFalse(GeneratedFileHeader.IsGenerated(File.ReadAllText(path)));
        StringAssert.StartsWith(OnlyError(e => { var t = Generator(e, path); t.Eject = true; return t; }), "STV4003|");
        StringAssert.StartsWith(OnlyError(e => Generator(e, path)), "STV4001|");
    }

    [TestMethod]
    public void EveryResourceIsCodedAndDocumented()
    {
        var resx = XDocument.Load(Path.Combine(Stevedore.Testing.Repo.Root, "src", "Tasks", "Diagnostics", "Strings.resx"));
        var docs = File.ReadAllText(Path.Combine(Stevedore.Testing.Repo.Root, "docs", "diagnostics.md"));
        var documented = DocumentedCode().Matches(docs).Select(m => m.Groups[1].Value).ToList();
        var codes = new List<string>();
        foreach (var data in resx.Root!.Elements("data"))
        {
            var text = data.Element("value")!.Value;
            var match = CodedMessage().Match(text);
            Assert.IsTrue(match.Success, $"{data.Attribute("name")!.Value}: '{text}' must read 'STVnnnn: what happened; what to do'");
            codes.Add(match.Groups[1].Value);
        }

        // The few errors the SDK's targets raise themselves, where no Stevedore task can load (a .NET Framework MSBuild).
        foreach (var targets in Directory.EnumerateFiles(Path.Combine(Stevedore.Testing.Repo.Root, "src", "Sdk", "build"), "*.targets"))
        {
            foreach (var error in XDocument.Load(targets).Descendants("Error"))
            {
                var code = (string?)error.Attribute("Code") ?? string.Empty;
                Assert.IsTrue(CodedMessage().Match((string?)error.Attribute("Text") ?? string.Empty) is { Success: true } m && m.Groups[1].Value == code,
                    $"{Path.GetFileName(targets)}: <Error Code=\"{code}\"> must read 'STVnnnn: what happened; what to do' with its own code");
                codes.Add(code);
            }
        }

        CollectionAssert.AllItemsAreUnique(codes);
        CollectionAssert.AreEquivalent(codes, documented, "docs/diagnostics.md must have one '## STVnnnn' section per code in Strings.resx and the SDK's targets");
    }

    [GeneratedRegex(@"^(STV[1-4][0-9]{3}): [^;]+; .+$")]
    private static partial Regex CodedMessage();

    [GeneratedRegex(@"^## (STV[0-9]{4})\b", RegexOptions.Multiline)]
    private static partial Regex DocumentedCode();
}
