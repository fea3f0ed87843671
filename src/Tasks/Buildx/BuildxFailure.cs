using System.Text.RegularExpressions;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// A failure of `docker buildx build` recognised from one of its output lines, reported with its own code instead
/// of the generic STV2001: the registry refused the push's credentials, or the engine went away mid-build.
/// </summary>
internal sealed partial record BuildxFailure(string ResourceName, object[] Arguments)
{
    /// <summary>The failure <paramref name="line"/> names, or null when it names none of the known ones.</summary>
    public static BuildxFailure? Classify(string line)
    {
        if (PushRefused().Match(line) is { Success: true } push)
        {
            return new("PushRefused", [push.Groups["registry"].Value, push.Groups["registry"].Value + "/" + push.Groups["reference"].Value, push.Groups["status"].Value]);
        }

        if (EngineLost().Match(line) is { Success: true } lost)
        {
            return new("EngineLost", [lost.Value]);
        }

        return null;
    }

    // buildx 0.13: "ERROR: failed to push 127.0.0.1:5001/shop/api:1.0: unexpected status from HEAD request to …: 401 Unauthorized"
    [GeneratedRegex(@"failed to push (?<registry>[^/\s""]+)/(?<reference>[^\s""]+?): .*?(?<status>401 Unauthorized|403 Forbidden)")]
    private static partial Regex PushRefused();

    // buildx 0.13 when dockerd stops: "ERROR: failed to receive status: rpc error: code = Unavailable desc = error reading from server: EOF",
    // or, when it stops while the solve is under way: "ERROR: failed to solve: Unavailable: error reading from server: EOF".
    [GeneratedRegex(@"(?:rpc error: code = Unavailable desc = |failed to solve: Unavailable: )[^""\r\n]*")]
    private static partial Regex EngineLost();
}
