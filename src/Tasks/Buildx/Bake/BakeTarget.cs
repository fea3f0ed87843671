using System.Text.Json.Nodes;

namespace Stevedore.Tasks.Buildx.Bake;

/// <summary>
/// One project's part of a solution's bake: the bake target made from the same <see cref="BuildxCommand"/> a
/// single-project publish runs, plus what the report needs. Written by each project (bake-target.json under its
/// obj/stevedore/) and merged by <see cref="BakeDefinition"/>.
/// </summary>
internal sealed record BakeTarget
{
    /// <summary>The MSBuild project's name, as the summary and the errors show it.</summary>
    public required string Project { get; init; }

    /// <summary>The bake target: context, dockerfile, platforms, tags, output, cache-from/-to, secret, attest.</summary>
    public required JsonObject Target { get; init; }

    /// <summary>--network for RUN steps; bake files of buildx 0.13 take it only through a compose file's build.network.</summary>
    public string? Network { get; init; }

    /// <summary>The builder the project names (ContainerBuilder); one bake runs on one builder.</summary>
    public string? Builder { get; init; }

    /// <summary>The image is pushed (or, with an archive, written) rather than loaded.</summary>
    public bool Push { get; init; }

    public string? ArchivePath { get; init; }

    /// <summary>Pushed by digest only (ContainerPushByDigest): the digest is written to <see cref="DigestFile"/>.</summary>
    public string? DigestFile { get; init; }

    /// <summary>The fragment file this target was read from (not written into it).</summary>
    public string? Fragment { get; init; }

    /// <summary>The repository a push by digest goes to.</summary>
    public string? Repository { get; init; }

    /// <summary>The bake target of one project's build command.</summary>
    public static BakeTarget From(string project, BuildxCommand command, string? digestFile = null)
    {
        var target = new JsonObject
        {
            ["context"] = command.ContextPath,
            ["dockerfile"] = command.DockerfilePath,
            ["platforms"] = Array(command.Platforms.Select(p => p.ToString())),
        };
        if (!command.PushByDigest && command.Tags.Count > 0)
        {
            target["tags"] = Array(command.Tags);
        }

        target["output"] = Array([command.Output()]);
        if (command.CacheFrom.Count > 0)
        {
            target["cache-from"] = Array(command.CacheFrom);
        }

        if (command.CacheTo.Count > 0)
        {
            target["cache-to"] = Array(command.CacheTo);
        }

        if (command.Secrets.Count > 0)
        {
            target["secret"] = Array(command.Secrets);
        }

        target["attest"] = Array(Attest(command.Provenance, command.Sbom));
        return new BakeTarget
        {
            Project = project,
            Target = target,
            Network = command.Network,
            Builder = command.Builder ?? command.DockerContext,
            Push = command.Push || command.PushByDigest,
            ArchivePath = command.ArchivePath,
            DigestFile = command.PushByDigest ? digestFile : null,
            Repository = command.PushByDigest ? command.Repository : null,
        };
    }

    /// <summary>The build context folder (through its <see cref="ContextLink"/> link, the folder it points to).</summary>
    public string ContextDirectory =>
        Target["context"] is JsonValue v && (string?)v is { } path
            ? new FileInfo(path).LinkTarget is { } real ? Path.GetFullPath(real, Path.GetDirectoryName(path)!) : path
            : string.Empty;

    /// <summary>The target's platforms, in order.</summary>
    public IReadOnlyList<string> Platforms => Strings("platforms");

    /// <summary>The image references (tags) the target moves.</summary>
    public IReadOnlyList<string> Tags => Strings("tags");

    /// <summary>The first cache export, which the report names.</summary>
    public string? CacheTo => Strings("cache-to").FirstOrDefault();

    /// <summary>The fragment file's JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["project"] = Project,
        ["target"] = Target.DeepClone(),
        ["network"] = Network,
        ["builder"] = Builder,
        ["push"] = Push,
        ["archive"] = ArchivePath,
        ["digestFile"] = DigestFile,
        ["repository"] = Repository,
    };

    /// <summary>Reads a fragment file's JSON back.</summary>
    public static BakeTarget FromJson(JsonObject json) => new()
    {
        Project = (string?)json["project"] ?? throw new FormatException("no project"),
        Target = json["target"]?.DeepClone() as JsonObject ?? throw new FormatException("no target"),
        Network = (string?)json["network"],
        Builder = (string?)json["builder"],
        Push = (bool?)json["push"] ?? false,
        ArchivePath = (string?)json["archive"],
        DigestFile = (string?)json["digestFile"],
        Repository = (string?)json["repository"],
    };

    // The attestations the single-project build asks for with --provenance/--sbom, in bake's words.
    private static IEnumerable<string> Attest(string provenance, bool sbom)
    {
        yield return provenance switch
        {
            "false" => "type=provenance,disabled=true",
            "true" => "type=provenance",
            _ => "type=provenance," + provenance,
        };
        if (sbom)
        {
            yield return "type=sbom";
        }
    }

    private IReadOnlyList<string> Strings(string key) =>
        Target[key] is JsonArray values ? [.. values.Select(v => (string?)v).OfType<string>()] : [];

    private static JsonArray Array(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];
}
