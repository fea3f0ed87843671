using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;
using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Buildx.Bake;

/// <summary>
/// A solution's publish: merges the bake target every container project wrote into one bake definition, runs one
/// `docker buildx bake` for all of them (rawjson progress, one --metadata-file entry per target), then writes each
/// project's report where its own publish would, one OpenMetrics file for all, and prints one summary table.
/// A target that fails fails the publish with its project named (STV1401). A project whose image inputs are the same
/// as when its last publish pushed the image (<see cref="ImageInputs"/>), and whose tags all still point to that image,
/// is left out of the bake (ContainerSkipUnchanged, on by default): the summary shows it as unchanged.
/// </summary>
public sealed class BakeContainerImages : DockerToolTask
{
    private BakeProgress? progress;
    private BuildxRunner? buildx;
    private BakeDefinition? definition;
    private IReadOnlyDictionary<string, (BakeTarget Target, ImageRecord Record)> unchanged = new Dictionary<string, (BakeTarget, ImageRecord)>();
    private readonly Dictionary<string, string> inputs = new(StringComparer.Ordinal);

    /// <summary>
    /// Each project's bake-target.json, with metadata Plan (the project's build plan: what its report says),
    /// ReportDirectory (the project's obj/stevedore/) and SkipUnchanged (ContainerSkipUnchanged, "false" to bake the
    /// project every time).
    /// </summary>
    [Required]
    public ITaskItem[] Targets { get; set; } = [];

    /// <summary>Where the bake definition goes (the network overlay and the run's files go next to it).</summary>
    [Required]
    public string DefinitionFile { get; set; } = string.Empty;

    /// <summary>Write the definition and log the command, but do not run it (ContainerBuild=false).</summary>
    public bool DryRun { get; set; }

    /// <summary>Whole-bake attempts after the first (ContainerRegistryRetries given to the solution publish; default 3).</summary>
    public int RegistryRetries { get; set; } = BuildRetry.DefaultRetries;

    /// <summary>The digest a tag points to now, or null (tests replace the registry).</summary>
    internal Func<string, string?>? ReadCurrentDigest { get; set; }

    /// <summary>The command line that runs (or would run).</summary>
    [Output]
    public string CommandLine { get; private set; } = string.Empty;

    /// <summary>The OpenMetrics file of every project's build.</summary>
    [Output]
    public string MetricsFile { get; private set; } = string.Empty;

    private string Folder => Path.GetDirectoryName(Path.GetFullPath(DefinitionFile))!;

    private string MetadataFile => Path.Combine(Folder, "bake-metadata.json");

    private string ProgressFile => Path.Combine(Folder, "bake-progress.rawjson");

    public override bool Execute()
    {
        BakeCommand command;
        try
        {
            var all = BakeDefinition.Create(Targets.Select(Read));
            unchanged = DryRun ? unchanged : FindUnchanged(all);
            definition = all.Without(unchanged.Keys);
            Files.AtomicFile.Write(DefinitionFile, definition.ToJson());
            var files = new List<string> { Path.GetFullPath(DefinitionFile) };
            var overlayFile = Path.Combine(Folder, "bake-network.compose.yaml");
            if (definition.NetworkOverlay() is { } overlay)
            {
                Files.AtomicFile.Write(overlayFile, overlay);
                files.Add(overlayFile);
            }
            else if (File.Exists(overlayFile))
            {
                File.Delete(overlayFile);
            }

            command = new BakeCommand { Files = files, Builder = definition.Builder, MetadataFile = MetadataFile };
        }
        catch (DiagnosticException e)
        {
            Log.LogErrorWithCodeFromResources(e.ResourceName, e.Arguments);
            return false;
        }

        CommandLine = "docker " + command.ToCommandLine();
        if (unchanged.Count > 0)
        {
            Log.LogMessage(MessageImportance.High, "Stevedore: unchanged since the last publish, left out of the bake: {0}",
                string.Join(", ", unchanged.Values.Select(u => $"{u.Target.Project} ({u.Record.Digest})")));
        }

        if (definition.Targets.Count == 0)
        {
            Report(ran: true, TimeSpan.Zero);
            return !Log.HasLoggedErrors;
        }

        Log.LogMessage(MessageImportance.High, "Stevedore: bake definition {0}: {1}", DefinitionFile, string.Join(", ", definition.Targets.Select(t => $"{t.Key} ({t.Value.Project})")));
        if (DryRun)
        {
            Log.LogMessage(MessageImportance.High, "Stevedore: ContainerBuild=false, not running: {0}", CommandLine);
            return true;
        }

        var started = DateTimeOffset.UtcNow;
        // The same runner as a single build's: each attempt's progress replaces the one before (the reports describe
        // the attempt that finished), and a transient registry fault or BuildKit's shared-step race bakes again.
        buildx = new BuildxRunner(Log, [.. definition.Targets.Values.Select(t => t.ContextDirectory)], Canceled)
        {
            NewProgress = () => progress = new BakeProgress([.. definition.Targets.Keys]),
            ProgressFile = ProgressFile,
            MetadataFile = MetadataFile,
            Retries = RegistryRetries,
            Wait = Wait,
        };
        var ran = Run(buildx);
        var elapsed = DateTimeOffset.UtcNow - started;
        Report(ran, elapsed);
        return ran && !Log.HasLoggedErrors;
    }

    protected override string GenerateCommandLineCommands() => CommandLine["docker ".Length..];

    private void Report(bool ran, TimeSpan elapsed)
    {
        var metadata = ReadMetadata();
        var reports = new List<(string Name, BakeTarget Target, BuildReport Report, bool Failed)>();
        foreach (var (name, target) in definition!.Targets)
        {
            var item = ItemOf(target);
            JsonElement? own = metadata is { } m && m.TryGetProperty(name, out var entry) ? entry : null;
            var writer = new ProjectReport { Plan = Plan.BuildPlanFile.Read(item.GetMetadata("Plan")) };
            var report = writer.Write(progress!.For(name), own, Log);
            var failed = BakeFailure.FailedStep(progress!, name) is not null || (!ran && report.Digest is null && BakeFailure.NamedInError(progress!, name));
            reports.Add((name, target, report, failed));
            var directory = item.GetMetadata("ReportDirectory");
            if (!failed && report.Digest is { } built && inputs.TryGetValue(name, out var made) && directory.Length > 0)
            {
                new ImageRecord(made, built, target.Tags).Write(directory);
            }
            else if (directory.Length > 0)
            {
                ImageRecord.Forget(directory);
            }

            if (report.Digest is { } digest && target.DigestFile is { Length: > 0 } digestFile && target.Repository is { } repository)
            {
                PushedDigest.Write(digestFile, repository, digest);
            }
        }

        MetricsFile = Path.Combine(Folder, "stevedore-report.prom");
        Files.AtomicFile.Write(MetricsFile, BuildReportWriter.ToOpenMetrics([.. reports.Select(r => r.Report)]));
        var rows = reports.Select(r => new BakeSummary.Row(r.Target.Project, r.Report, r.Failed, r.Target.Push, r.Target.ArchivePath is not null))
            .Concat(unchanged.Values.Select(u => BakeSummary.Row.Unchanged(u.Target.Project, u.Target.Platforms, u.Record.Digest, u.Target.Tags)))
            .OrderBy(r => r.Project, StringComparer.Ordinal);
        foreach (var line in BakeSummary.Table(rows, elapsed))
        {
            Log.LogMessage(MessageImportance.High, "{0}", line);
        }

        Log.LogMessage(MessageImportance.High, "Stevedore: bake metrics {0}", MetricsFile);

        if (ran)
        {
            return;
        }

        var named = false;
        foreach (var (name, target, report, failed) in reports.Where(r => r.Failed))
        {
            named = true;
            Log.LogErrorWithCodeFromResources("BakeTargetFailed", target.Project, name, BakeFailure.FailedStep(progress!, name) ?? BakeFailure.LastError(progress!));
        }

        if (!named)
        {
            buildx?.LogFailure();
        }
    }

    private ITaskItem ItemOf(BakeTarget target) => Targets.First(t => t.ItemSpec == target.Fragment);

    // The targets whose image inputs are those the last publish pushed, and whose tags still point to that image.
    // Every other target's inputs are kept, to be recorded with the digest its bake gives.
    internal Dictionary<string, (BakeTarget Target, ImageRecord Record)> FindUnchanged(BakeDefinition all)
    {
        var cli = new Engine.DockerCli();
        using var registry = new RegistryManifest(cli);
        var current = ReadCurrentDigest ?? registry.Digest;
        var imageInputs = new ImageInputs(current);
        var candidates = new List<(string Name, BakeTarget Target, ImageRecord Record)>();
        foreach (var (name, target) in all.Targets)
        {
            var item = ItemOf(target);
            if (item.GetMetadata("SkipUnchanged").Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                Baked(target, "ContainerSkipUnchanged=false");
                continue;
            }

            if (imageInputs.Of(target, all.Builder, Plan.BuildPlanFile.Read(item.GetMetadata("Plan")).Reads) is not { } digest)
            {
                Baked(target, "its inputs cannot all be named: a loaded, archived or pushed-by-digest image, no source-date-epoch, a Dockerfile of its own, a context read by ADD, a wildcard, a variable or a bind mount, or a base image whose digest the registry does not give");
                continue;
            }

            inputs[name] = digest;
            var record = ImageRecord.Read(item.GetMetadata("ReportDirectory"));
            if (record is null || target.Tags.Count == 0)
            {
                Baked(target, "no earlier publish of it is recorded");
            }
            else if (record.Inputs != digest || !record.Tags.SequenceEqual(target.Tags, StringComparer.Ordinal))
            {
                Baked(target, "its inputs changed since its last publish");
            }
            else
            {
                candidates.Add((name, target, record));
            }
        }

        var moved = candidates
            .AsParallel().WithDegreeOfParallelism(8)
            .Select(c => (c.Name, Moved: c.Target.Tags.FirstOrDefault(tag => current(tag) != c.Record.Digest)))
            .Where(c => c.Moved is not null)
            .ToDictionary(c => c.Name, c => c.Moved!, StringComparer.Ordinal);
        foreach (var (name, target, record) in candidates.Where(c => moved.ContainsKey(c.Name)))
        {
            Baked(target, $"{moved[name]} no longer points to {record.Digest}");
        }

        return candidates.Where(c => !moved.ContainsKey(c.Name)).ToDictionary(c => c.Name, c => (c.Target, c.Record), StringComparer.Ordinal);
    }

    private void Baked(BakeTarget target, string reason) =>
        Log.LogMessage(MessageImportance.Normal, "Stevedore: {0} is baked: {1}", target.Project, reason);

    private JsonElement? ReadMetadata()
    {
        try
        {
            if (!File.Exists(MetadataFile))
            {
                return null;
            }

            using var json = JsonDocument.Parse(File.ReadAllBytes(MetadataFile));
            return json.RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            Log.LogErrorWithCodeFromResources("MetadataUnreadable", MetadataFile, e.Message);
            return null;
        }
    }

    private static BakeTarget Read(ITaskItem item)
    {
        try
        {
            return BakeTarget.FromJson(JsonNode.Parse(File.ReadAllText(item.ItemSpec)) as JsonObject ?? throw new FormatException("not an object")) with { Fragment = item.ItemSpec };
        }
        catch (Exception e) when (e is IOException or JsonException or FormatException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new DiagnosticException("BakeTargetUnreadable", item.ItemSpec, e.Message);
        }
    }
}
