using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests;

/// <summary>
/// A private copy of one samples/ folder, laid out like the repository (samples/&lt;name&gt; beside artifacts/packages, so
/// the sample's nuget.config finds the Stevedore feed), pinned to the packed Stevedore.Sdk and pushed under its own tag.
/// The copy is the build context: logs, binlogs and exported caches stay beside it, in <see cref="Root"/>.
/// </summary>
public abstract class PinnedSample
{
    private readonly string project;
    private readonly string repository;
    private readonly string[] standIns;
    private int publishes;

    /// <param name="testName">Names the temp folder.</param>
    /// <param name="source">The sample folder to copy, e.g. samples/go.</param>
    /// <param name="project">The project to publish, relative to the sample folder.</param>
    /// <param name="repository">The repository the sample pushes to.</param>
    /// <param name="standIns">The stand-in base images ("repository:tag") the local registry must hold for a publish.</param>
    protected PinnedSample(string testName, string source, string project, string repository, params string[] standIns)
        : this(testName, source, project, repository, standalone: false, standIns)
    {
    }

    /// <param name="standalone">
    /// The copy is a git repository of its own outside this checkout, as a user's is: no Directory.Build.props or
    /// Directory.Packages.props of the Stevedore repository above it, and .git bounds what may be a build input.
    /// </param>
    protected PinnedSample(string testName, string source, string project, string repository, bool standalone, params string[] standIns)
    {
        this.project = project;
        this.repository = repository;
        this.standIns = standIns;
        Root = Repo.NewTempFolder(testName);
        Checkout = standalone ? Repo.NewStandaloneRepository(testName) : Path.Combine(Root, "repo");
        Folder = Path.Combine(Checkout, "samples", Path.GetFileName(source));
        // The same layout eng/run.sh and the bench use: samples/<name> beside artifacts/packages, pinned.
        CommandRunner.Run("bash", [Repo.Path("eng", "lay-out-sample.sh"), source, Checkout, PackedSdk.Version]).EnsureSuccess();
        Tag = BuildCache.NewTag();
    }

    public static string[] Platforms => EnginePublish.Platforms;

    /// <summary>samples/<paramref name="name"/> once eng/sample-feed.sh filled its offline feed (build containers cannot reach NuGet).</summary>
    protected static string FilledSample(string name)
    {
        var folder = Repo.Path("samples", name);
        CommandRunner.Run("bash", [Repo.Path("eng", "sample-feed.sh"), folder], timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
        return folder;
    }

    /// <summary>What every dotnet command on the copy needs: the packages folder that holds the packed SDK.</summary>
    public static IDictionary<string, string> Environment => EnginePublish.Environment;

    /// <summary>The test's temp folder: the copy, publish logs and binlogs; a place for exported caches.</summary>
    public string Root { get; }

    /// <summary>The copy's stand-in for the repository root: samples/&lt;name&gt; and artifacts/packages.</summary>
    public string Checkout { get; }

    /// <summary>The copy of the sample.</summary>
    public string Folder { get; }

    public string Tag { get; }

    public string Image => $"{Repo.Registry}/{repository}:{Tag}";

    /// <summary>
    /// `dotnet publish` of the sample's project with the engine's settings (stand-in base images, local registry, host
    /// network, both platforms, this sample's tag) plus <paramref name="properties"/> ("Name=value"); keeps the log and a
    /// binlog in <see cref="Root"/>.
    /// </summary>
    public CommandResult Publish(params string[] properties)
    {
        var arguments = PublishArguments(properties);
        return EnginePublish.Run(arguments, Folder, Path.Combine(Root, $"publish-{publishes}.log"));
    }

    /// <summary>The arguments of `dotnet` for <see cref="Publish"/> (later properties win), for tests that start and stop it themselves; counts as a publish.</summary>
    public IReadOnlyList<string> PublishArguments(params string[] properties)
    {
        foreach (var standIn in standIns)
        {
            RegistryImage.RequireStandIn(standIn);
        }

        publishes++;
        return EnginePublish.Arguments(project, Path.Combine(Root, $"publish-{publishes}.binlog"), Tag, properties);
    }

    /// <summary>
    /// Rewrites one file of the copy, e.g. "src/Greetings/Greeter.cs"; with <paramref name="writeTime"/> the file keeps
    /// that time, as one restored from an archive or a CI cache would.
    /// </summary>
    public void Edit(string relativePath, Func<string, string> change, DateTime? writeTime = null)
    {
        var path = Path.Combine(Folder, relativePath);
        var before = File.ReadAllText(path);
        var after = change(before);
        if (after == before)
        {
            throw new ArgumentException($"The edit left {relativePath} unchanged.");
        }

        File.WriteAllText(path, after);
        if (writeTime is { } time)
        {
            File.SetLastWriteTimeUtc(path, time);
        }
    }
}
