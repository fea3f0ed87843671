using Microsoft.Build.Utilities;
using Stevedore.Tasks.Buildx.Bake;
using Stevedore.Tasks.Dockerfiles.DotNet;
using Stevedore.Tasks.Inputs.DotNet;

namespace Stevedore.Tasks.Tests.Buildx;

/// <summary>A solution's bake: which container projects share one restore, and what that restore is made of.</summary>
[TestClass]
public sealed class SharedRestoreTests
{
    private static readonly string Context = Path.Combine(Path.GetTempPath(), "shop");

    // One restore input of one project, as StevedoreBakeRestoreInputs returns it.
    private static TaskItem Input(string project, string relativePath, string kind, string platforms = "linux/amd64,linux/arm64", string context = "", params (string Name, string Value)[] extra)
    {
        var metadata = new Dictionary<string, string>
        {
            ["Kind"] = kind,
            ["RelativePath"] = relativePath,
            ["Project"] = project,
            ["Context"] = context.Length > 0 ? context : Context,
            ["BuildImage"] = "127.0.0.1:5000/dotnet/sdk:10.0",
            ["PlatformRuntimeIdentifiers"] = string.Join(";", Stevedore.Tasks.Platforms.ContainerPlatform.ParseList(platforms).Select(p => p.DotNetRuntimeIdentifier)),
            ["ImportedAsSdk"] = "true",
        };
        foreach (var (name, value) in extra)
        {
            metadata[name] = value;
        }

        return new TaskItem(Path.Combine(Context, relativePath), metadata);
    }

    private static IEnumerable<TaskItem> Project(string project, string platforms = "linux/amd64,linux/arm64", string context = "", params (string Name, string Value)[] extra) =>
    [
        Input(project, "nuget.config", "NuGetConfig", platforms, context, extra),
        Input(project, "Directory.Build.props", "DirectoryBuildProps", platforms, context, extra),
        Input(project, "src/Lib/Lib.csproj", "Project", platforms, context, extra),
        Input(project, project, "Project", platforms, context, extra),
    ];

    [TestMethod]
    public void ProjectsThatCompileOnceInOneContextShareOneRestoreOfAllOfThem()
    {
        var groups = PlanSharedRestore.Plan([.. Project("src/Worker/Worker.csproj", "linux/arm64"), .. Project("src/Api/Api.csproj")]);

        var group = groups.Single();
        CollectionAssert.AreEqual(new[] { "src/Api/Api.csproj", "src/Worker/Worker.csproj" }, group.Projects.ToArray(), "ordinal order: the same entry whichever project asks");
        CollectionAssert.AreEqual(new[] { "linux-arm64", "linux-x64" }, group.RuntimeIdentifiers.ToArray(), "every RID any of them targets");
        CollectionAssert.AreEqual(
            new[] { "nuget.config", "Directory.Build.props", "src/Api/Api.csproj", "src/Lib/Lib.csproj", "src/Worker/Worker.csproj" },
            group.RestoreInputs.Select(i => i.RelativePath).ToArray(),
            "the union, each file once, in the COPY order of a project's own restore: by kind, then path");
    }

    [TestMethod]
    public void ProjectsCompiledPerPlatformOrInAnotherContextRestoreAlone()
    {
        var groups = PlanSharedRestore.Plan(
        [
            .. Project("src/Api/Api.csproj"),
            .. Project("src/Worker/Worker.csproj"),
            .. Project("src/Aot/Aot.csproj", extra: ("NativeAot", "true")),
            .. Project("src/Contained/Contained.csproj", extra: ("SelfContained", "true")),
            .. Project("src/Rid/Rid.csproj", extra: ("RuntimeIdentifier", "linux-x64")),
            .. Project("src/Versioned/Versioned.csproj", extra: ("VersionFromHost", "true")),
            .. Project("Other/Other.csproj", context: Path.Combine(Path.GetTempPath(), "other")),
        ]);

        var group = groups.Single();
        CollectionAssert.AreEqual(new[] { "src/Api/Api.csproj", "src/Worker/Worker.csproj" }, group.Projects.ToArray(),
            "per-platform compiles restore per platform; another context or other git-version switches make another restore step; a group of one is no group");
    }

    [TestMethod]
    public void PlanFileGivesEachProjectItsGroupAndNothingToOthers()
    {
        using var tree = new TempTree();
        var plan = Path.Combine(tree.Root, "obj", "stevedore", "Shop", "shared-restore.json");
        var task = new PlanSharedRestore
        {
            BuildEngine = new RecordingBuildEngine(),
            PlanFile = plan,
            RestoreInputs = [.. Project("src/Api/Api.csproj"), .. Project("src/Worker/Worker.csproj")],
        };

        Assert.IsTrue(task.Execute());

        var group = SharedRestore.Find(plan, Context + Path.DirectorySeparatorChar, "src/Worker/Worker.csproj");
        Assert.IsNotNull(group, "a project of the group finds it, whatever the context's trailing separator");
        Assert.AreEqual(RestoreInputKind.NuGetConfig, group.RestoreInputs[0].Kind);
        Assert.AreEqual(Path.Combine(Context, "nuget.config"), group.RestoreInputs[0].FullPath);
        Assert.IsNull(SharedRestore.Find(plan, Context, "src/Tool/Tool.csproj"), "a project of no group");
        Assert.IsNull(SharedRestore.Find(plan, Path.Combine(Path.GetTempPath(), "other"), "src/Api/Api.csproj"), "the same path in another context");
        Assert.IsNull(SharedRestore.Find(null, Context, "src/Api/Api.csproj"), "outside a bake");
        Assert.IsNull(SharedRestore.Find(Path.Combine(tree.Root, "missing.json"), Context, "src/Api/Api.csproj"));
    }
}
