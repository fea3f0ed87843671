using System.Text.RegularExpressions;
using Stevedore.Tasks.Reporting;

namespace Stevedore.Tasks.Buildx.Bake;

/// <summary>What a failed bake's progress says about a target: the step that failed, or buildx's error naming it (STV1401).</summary>
internal static partial class BakeFailure
{
    // The first step of the target that ended in an error, with the error.
    // The step's name is cut short and buildx's "process … did not complete successfully:" (the whole command again)
    // left out: the step's own output is in the log above, prefixed with the target.
    public static string? FailedStep(BakeProgress progress, string target) =>
        progress.For(target).Vertices.FirstOrDefault(v => v.Error is not null && !v.Error.Contains("context canceled", StringComparison.Ordinal)) is { } vertex
            ? Shorten(vertex.Name) + ": " + (vertex.Error!.LastIndexOf(" did not complete successfully: ", StringComparison.Ordinal) is var i and >= 0
                ? vertex.Error[(i + " did not complete successfully: ".Length)..]
                : vertex.Error)
            : null;

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..119] + "…";

    // buildx's own ERROR line names the target when the failure is not a step's (`target api: failed to solve: …`).
    public static bool NamedInError(BakeProgress progress, string target) =>
        progress.Text.Any(l => TargetInError().Match(l) is { Success: true } m && m.Groups["target"].Value == target);

    public static string LastError(BakeProgress progress) => progress.Text.LastOrDefault(l => l.Contains("ERROR", StringComparison.Ordinal)) ?? "buildx bake failed";

    [GeneratedRegex(@"target (?<target>[A-Za-z0-9_-]+):")]
    private static partial Regex TargetInError();
}
