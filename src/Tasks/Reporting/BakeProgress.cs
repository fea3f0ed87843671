using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// The rawjson progress of one `docker buildx bake`, split into one <see cref="BuildProgress"/> per target. With more
/// than one target buildx prefixes every vertex name with the target's (`[api linux/amd64 build 3/9] RUN …`,
/// `[api] exporting to image`); a step two targets share (same digest: BuildKit ran it once) is named once per target,
/// so each target gets its own copy with the prefix taken off, and a target's report reads like a single build's.
/// </summary>
internal sealed class BakeProgress : IBuildxProgress
{
    private readonly RawJsonStream stream = new();
    private readonly Dictionary<string, BuildProgress> targets;

    /// <param name="targetNames">The bake's targets; with one, buildx adds no prefix and every vertex is that target's.</param>
    public BakeProgress(IReadOnlyList<string> targetNames)
    {
        targets = targetNames.ToDictionary(t => t, _ => new BuildProgress(), StringComparer.Ordinal);
    }

    /// <summary>Lines of the output that were not JSON (buildx's own ERROR lines).</summary>
    public List<string> Text { get; } = [];

    /// <summary>One target's progress.</summary>
    public BuildProgress For(string target) => targets[target];

    /// <summary>Reads a whole captured output (a fixture, or the bake's progress file).</summary>
    public static BakeProgress Read(IEnumerable<string> lines, IReadOnlyList<string> targetNames)
    {
        var progress = new BakeProgress(targetNames);
        foreach (var line in lines)
        {
            progress.Add(line);
        }

        return progress;
    }

    /// <summary>Feeds one output line; returns log lines (`target: #7 [linux/amd64 build 3/9] RUN …`) for the steps it started or finished.</summary>
    public IReadOnlyList<string> Add(string line) =>
        stream.Feed(line, Text, status => Split(status).SelectMany(part => targets[part.Target].AddStatus(part.Status).Select(l => part.Target + ": " + l)));

    /// <summary>The vertices of every target that finished since the last call (a step two targets share, once per target).</summary>
    public IReadOnlyList<BuildVertex> TakeFinished() => [.. targets.Values.SelectMany(t => t.TakeFinished())];

    // A status object with vertexes belongs to the targets their names carry; one with only logs and statuses goes to
    // every target (a target's progress keeps only the logs of vertices it knows).
    private IEnumerable<(string Target, JsonElement Status)> Split(JsonElement status)
    {
        if (JsonNode.Parse(status.GetRawText()) is not JsonObject node)
        {
            yield break;
        }

        if (node["vertexes"] is not JsonArray vertexes)
        {
            foreach (var target in targets.Keys)
            {
                yield return (target, status);
            }

            yield break;
        }

        var byTarget = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var vertex in vertexes.OfType<JsonObject>())
        {
            if (Owner((string?)vertex["name"] ?? string.Empty) is not var (target, name))
            {
                continue; // "[internal] load local bake definitions": bake's own, no target's
            }

            var copy = (JsonObject)vertex.DeepClone();
            copy["name"] = name;
            if (!byTarget.TryGetValue(target, out var list))
            {
                byTarget[target] = list = [];
            }

            list.Add(copy);
        }

        foreach (var (target, list) in byTarget)
        {
            var part = new JsonObject { ["vertexes"] = list };
            if (node["logs"] is JsonNode logs)
            {
                part["logs"] = logs.DeepClone();
            }

            yield return (target, JsonSerializer.SerializeToElement(part));
        }
    }

    /// <summary>The target a vertex name belongs to and the name without the target: `[api linux/amd64 build 1/3] X` → (api, `[linux/amd64 build 1/3] X`).</summary>
    internal (string Target, string Name)? Owner(string name)
    {
        if (targets.Count == 1)
        {
            return (targets.Keys.First(), name);
        }

        foreach (var target in targets.Keys)
        {
            if (name.StartsWith("[" + target + "] ", StringComparison.Ordinal))
            {
                return (target, name[(target.Length + 3)..]);
            }

            if (name.StartsWith("[" + target + " ", StringComparison.Ordinal))
            {
                return (target, "[" + name[(target.Length + 2)..]);
            }
        }

        return null;
    }
}
