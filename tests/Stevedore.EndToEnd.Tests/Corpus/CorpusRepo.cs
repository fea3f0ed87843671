using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Corpus;

/// <summary>
/// A <see cref="PinnedSample"/> of one repository shape under tests/corpus: its local feed (packages/) gets the
/// third-party packages the samples' feeds hold, since build containers cannot reach NuGet.
/// </summary>
public sealed class CorpusRepo : PinnedSample
{
    private static readonly Lazy<string[]> feeds = new(() =>
    {
        foreach (var script in new[] { "sample-feed.sh", "corpus-feed.sh" })
        {
            CommandRunner.Run("bash", [Repo.Path("eng", script)], timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
        }

        return [Repo.Path("samples", "dotnet", "packages"), Repo.Path("artifacts", "corpus-feed")];
    });

    public CorpusRepo(string testName, string shape, string project, string repository)
        : base(testName, Repo.Path("tests", "corpus", shape), project, repository, standalone: true, StandIns(project))
    {
        Shape = shape;
        ProjectPath = project;
        var packages = Directory.CreateDirectory(Path.Combine(Folder, "packages")).FullName;
        foreach (var nupkg in feeds.Value.SelectMany(f => Directory.EnumerateFiles(f, "*.nupkg")))
        {
            File.Copy(nupkg, Path.Combine(packages, Path.GetFileName(nupkg)), overwrite: true);
        }
    }

    public string Shape { get; }

    /// <summary>Removes the copy and the logs; call only once the test passed, so a failure keeps them.</summary>
    public void Delete()
    {
        Directory.Delete(Checkout, recursive: true);
        Directory.Delete(Root, recursive: true);
    }

    public string ProjectPath { get; }

    public bool IsGo => ProjectPath.EndsWith(".goproj", StringComparison.Ordinal);

    /// <summary>The Dockerfile the last publish generated (under the project's obj/).</summary>
    public string GeneratedFile(string name)
    {
        var obj = Path.Combine(Folder, Path.GetDirectoryName(ProjectPath)!, "obj");
        return Directory.EnumerateFiles(obj, name, SearchOption.AllDirectories).Single(f => Path.GetFileName(Path.GetDirectoryName(f)) == "stevedore");
    }

    /// <summary>The build context of the last publish: the last word of the buildx command it wrote.</summary>
    public string Context => File.ReadAllText(GeneratedFile("buildx-command.txt")).Trim().Split(' ')[^1];

    private static string[] StandIns(string project) => project.EndsWith(".goproj", StringComparison.Ordinal)
        ? ["golang:1.24", "distroless/static:nonroot"]
        : ["dotnet/sdk:10.0", "dotnet/aspnet:10.0", "dotnet/runtime:10.0"];
}
