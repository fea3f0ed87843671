using System.Globalization;
using Microsoft.Build.Framework;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// The final stage's ports, environment and labels from the ContainerPort, ContainerEnvironmentVariable and
/// ContainerLabel items: the same for every project kind, so .NET and Go images read them alike.
/// </summary>
internal static class ContainerMetadata
{
    public static IReadOnlyList<ContainerPort> Ports(IEnumerable<ITaskItem> items) =>
        items.Select(p => ParsePort(p.ItemSpec, p.GetMetadata("Type"))).ToList();

    public static IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables(IEnumerable<ITaskItem> items) =>
        items.Select(e => new KeyValuePair<string, string>(ValidateEnvironmentVariableName(e.ItemSpec), e.GetMetadata("Value"))).ToList();

    /// <summary>The OCI labels that are set (alphabetical), then the ContainerLabel items in their order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Labels(string? created, string? revision, string? source, string? version, IEnumerable<ITaskItem> items) =>
        Labels(new Dictionary<string, string?>
        {
            ["org.opencontainers.image.created"] = created,
            ["org.opencontainers.image.revision"] = revision,
            ["org.opencontainers.image.source"] = source,
            ["org.opencontainers.image.version"] = version,
        }, items);

    /// <summary>The generated labels that have a value, in ordinal order of their names, then the ContainerLabel items in their order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Labels(IReadOnlyDictionary<string, string?> generated, IEnumerable<ITaskItem> items)
    {
        var labels = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in generated.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            AddLabel(labels, name, value);
        }

        labels.AddRange(items.Select(l => new KeyValuePair<string, string>(l.ItemSpec, l.GetMetadata("Value"))));
        return labels;
    }

    /// <summary>EXPOSE, ENV and LABEL lines, in that order.</summary>
    public static DockerfileStage AddTo(
        DockerfileStage stage,
        IEnumerable<ContainerPort> ports,
        IEnumerable<KeyValuePair<string, string>> environmentVariables,
        IEnumerable<KeyValuePair<string, string>> labels)
    {
        foreach (var port in ports)
        {
            stage.Add("EXPOSE", port.Number.ToString(CultureInfo.InvariantCulture) + "/" + port.Type);
        }

        foreach (var (name, value) in environmentVariables)
        {
            stage.Add("ENV", name + "=" + DockerfileWriter.Quote(value));
        }

        foreach (var (name, value) in labels)
        {
            stage.Add("LABEL", DockerfileWriter.Quote(name) + "=" + DockerfileWriter.Quote(value));
        }

        return stage;
    }

    private static void AddLabel(List<KeyValuePair<string, string>> labels, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            labels.Add(new(name, value.Trim()));
        }
    }

    /// <summary>Checks a ContainerPort item (STV1009).</summary>
    public static ContainerPort ParsePort(string number, string? type)
    {
        var t = string.IsNullOrWhiteSpace(type) ? "tcp" : type.Trim().ToLowerInvariant();
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 65535 || t is not ("tcp" or "udp"))
        {
            throw new DiagnosticException("InvalidPort", string.IsNullOrWhiteSpace(type) ? number : number + "/" + type);
        }

        return new ContainerPort(n, t);
    }

    /// <summary>Checks a ContainerEnvironmentVariable name (STV1010).</summary>
    public static string ValidateEnvironmentVariableName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.')
            ? name
            : throw new DiagnosticException("InvalidEnvironmentVariable", name);
}
