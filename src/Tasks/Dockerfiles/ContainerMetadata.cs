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

    /// <summary>
    /// The ContainerLabel items in their order (the generated OCI labels come first, from _StevedoreGenerateSetup), then
    /// org.opencontainers.image.base.digest when <paramref name="baseDigest"/> is known, as the SDK appends its digest label.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Labels(IEnumerable<ITaskItem> items, string? baseDigest)
    {
        var labels = items.Select(l => new KeyValuePair<string, string>(l.ItemSpec, l.GetMetadata("Value"))).ToList();
        if (!string.IsNullOrEmpty(baseDigest))
        {
            labels.Add(new("org.opencontainers.image.base.digest", baseDigest));
        }

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
