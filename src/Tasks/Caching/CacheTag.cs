using System.Text.RegularExpressions;

namespace Stevedore.Tasks.Caching;

/// <summary>A branch name turned into an image tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`) that no other branch maps to.</summary>
internal static partial class CacheTag
{
    private const int MaxLength = 128;
    private const int HashLength = 8;

    /// <summary>
    /// A valid tag is kept as it is; anything else gets its invalid characters replaced by '-' (runs collapsed,
    /// `feature/x` → `feature-x`) and a short hash of the original name appended (`feature-x-1a2b3c4d`), so
    /// `feature/x` and a branch really named `feature-x` keep apart.
    /// </summary>
    public static string FromBranch(string branch)
    {
        if (ValidTag().IsMatch(branch))
        {
            return branch;
        }

        var readable = InvalidRun().Replace(branch, "-").Trim('-', '.');
        readable = readable.Length == 0 ? "_" : readable;
        if (readable[0] is '.' or '-')
        {
            readable = "_" + readable;
        }

        var hash = Files.TextHash.Sha256Hex(branch)[..HashLength];
        var room = MaxLength - HashLength - 1;
        return (readable.Length > room ? readable[..room].TrimEnd('-', '.') : readable) + "-" + hash;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex ValidTag();

    [GeneratedRegex(@"[^A-Za-z0-9_.-]+")]
    private static partial Regex InvalidRun();
}
