using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Options;

/// <summary>
/// ContainerPlatformBuilders (`platform=builder` pairs, ';' or '+' separated) as one item per platform: Include = the
/// platform, Builder = the buildx builder, Folder = the platform as a folder name. STV1407 for a pair that is not
/// platform=builder, a platform named twice, or no registry (each platform is pushed by digest).
/// </summary>
public sealed class ResolvePlatformBuilders : StevedoreTask
{
    [Required]
    public string PlatformBuilders { get; set; } = string.Empty;

    /// <summary>ContainerRegistry: each platform is pushed there by digest.</summary>
    public string? Registry { get; set; }

    [Output]
    public ITaskItem[] Legs { get; private set; } = [];

    protected override void Run()
    {
        var legs = Check(PlatformBuilders, Registry);
        Legs = [.. legs.Select(l => new TaskItem(l.Platform, new Dictionary<string, string>
        {
            ["Builder"] = l.Builder,
            ["Folder"] = l.Platform.Replace('/', '-'),
        }))];
    }

    /// <summary>The pairs, and a registry to push each platform to by digest (STV1407).</summary>
    internal static IReadOnlyList<(string Platform, string Builder)> Check(string value, string? registry)
    {
        var legs = Parse(value);
        return string.IsNullOrWhiteSpace(registry) ? throw new DiagnosticException("PlatformBuilderInvalid", value) : legs;
    }

    internal static IReadOnlyList<(string Platform, string Builder)> Parse(string value)
    {
        var legs = new List<(string Platform, string Builder)>();
        foreach (var pair in value.Split([';', '+'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var builder = equals > 0 ? pair[(equals + 1)..].Trim() : string.Empty;
            if (builder.Length == 0)
            {
                throw new DiagnosticException("PlatformBuilderInvalid", pair);
            }

            var platform = ContainerPlatform.Parse(pair[..equals].Trim()).ToString();
            if (legs.Any(l => l.Platform == platform))
            {
                throw new DiagnosticException("PlatformBuilderInvalid", pair);
            }

            legs.Add((platform, builder));
        }

        return legs.Count > 0 ? legs : throw new DiagnosticException("PlatformBuilderInvalid", value);
    }
}
