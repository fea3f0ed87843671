using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Buildx.Bake;

/// <summary>
/// The one bake definition of a solution: a target per container project (named after the project, in bake's
/// alphabet) and the group "default" that holds them all. Pure and deterministic: the same projects, the same text.
/// </summary>
internal sealed class BakeDefinition
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private BakeDefinition(IReadOnlyDictionary<string, BakeTarget> targets, string? builder)
    {
        Targets = targets;
        Builder = builder;
    }

    /// <summary>Bake target name → the project's target, ordered by name.</summary>
    public IReadOnlyDictionary<string, BakeTarget> Targets { get; }

    /// <summary>The one builder every project names, or null for the current one.</summary>
    public string? Builder { get; }

    /// <summary>Names the targets; STV1402 when two projects name different builders (one bake runs on one).</summary>
    public static BakeDefinition Create(IEnumerable<BakeTarget> targets)
    {
        var named = new SortedDictionary<string, BakeTarget>(StringComparer.Ordinal);
        foreach (var target in targets.OrderBy(t => t.Project, StringComparer.Ordinal))
        {
            var name = TargetName(target.Project);
            var unique = name;
            for (var n = 2; named.ContainsKey(unique); n++)
            {
                unique = name + "-" + n;
            }

            named[unique] = target;
        }

        var builders = named.Values.Select(t => string.IsNullOrWhiteSpace(t.Builder) ? null : t.Builder).Distinct().ToList();
        if (builders.Count > 1)
        {
            throw new DiagnosticException(
                "BakeBuildersDiffer",
                string.Join(", ", named.Values.Select(t => $"{t.Project}={t.Builder ?? "(current)"}")));
        }

        return new BakeDefinition(named, builders.FirstOrDefault());
    }

    /// <summary>The same definition without the targets <paramref name="names"/> (left out as unchanged); names stay as they were.</summary>
    public BakeDefinition Without(IEnumerable<string> names)
    {
        var left = names.ToHashSet(StringComparer.Ordinal);
        return left.Count == 0 ? this : new BakeDefinition(Targets.Where(t => !left.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal), Builder);
    }

    /// <summary>A bake target name: letters, digits, '-' and '_' (a project's dots become '-').</summary>
    public static string TargetName(string project)
    {
        var text = new StringBuilder(project.Length);
        foreach (var c in project)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }

        return text.Length == 0 ? "project" : text.ToString();
    }

    /// <summary>The bake file: {"group":{"default":{"targets":[…]}},"target":{…}}.</summary>
    public string ToJson()
    {
        var target = new JsonObject();
        foreach (var (name, t) in Targets)
        {
            target[name] = t.Target.DeepClone();
        }

        var file = new JsonObject
        {
            ["group"] = new JsonObject { ["default"] = new JsonObject { ["targets"] = new JsonArray([.. Targets.Keys.Select(k => (JsonNode?)JsonValue.Create(k))]) } },
            ["target"] = target,
        };
        return file.ToJsonString(Indented) + "\n";
    }

    /// <summary>
    /// A compose file (JSON is YAML) that bake merges into the targets of the same name: buildx 0.13's bake files
    /// have no network key, a compose service's build.network is the one way to give RUN steps a network. Null when
    /// no project sets one.
    /// </summary>
    public string? NetworkOverlay()
    {
        var services = new JsonObject();
        foreach (var (name, t) in Targets.Where(t => !string.IsNullOrWhiteSpace(t.Value.Network)))
        {
            services[name] = new JsonObject
            {
                ["build"] = new JsonObject { ["context"] = (string?)t.Target["context"], ["network"] = t.Network },
            };
        }

        return services.Count == 0 ? null : new JsonObject { ["services"] = services }.ToJsonString(Indented) + "\n";
    }
}
