using System.Globalization;
using System.Text.RegularExpressions;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// A registry request that failed in a build, recognised from buildx's output: which registry, what the build was doing
/// (the operation, in the user's words), and what came back (an HTTP status or a broken connection). Transient faults
/// (5xx, 408, 429, resets, timeouts) are worth another attempt; the rest (401/403/404/400, a bad manifest) are not.
/// </summary>
/// <param name="Registry">host[:port] of the registry that failed.</param>
/// <param name="Operation">e.g. "pushing a layer of samples/dotnet-api", "resolving the base image dotnet/sdk:10.0".</param>
/// <param name="Status">e.g. "503 Service Unavailable", "connection reset by peer".</param>
/// <param name="RetryAfter">The wait the registry asked for, when buildx's output shows a Retry-After.</param>
internal sealed partial record RegistryFault(string Registry, string Operation, string Status, bool IsTransient, TimeSpan? RetryAfter)
{
    /// <summary>
    /// Worth one more attempt only: a manifest the registry refused with 400, which is what it answers when the manifest
    /// names a blob it does not hold yet (MANIFEST_BLOB_UNKNOWN; buildx shows no error code). Builds that push the
    /// same layer to one repository at once (shared CI runners) meet it: BuildKit skips a blob another build is still
    /// uploading and puts the manifest first (moby/moby#22854). A manifest that is really invalid fails again.
    /// </summary>
    public bool RetryOnce { get; init; }

    /// <summary>
    /// The fault that ended the build, read from buildx's own last error (`ERROR: failed to solve: …`, printed in every
    /// progress mode), else its last `ERROR:` line; null when that error names no registry fault. Earlier errors (an
    /// ignored cache import, a step's log) never decide. A `Retry-After` anywhere in the output is kept.
    /// </summary>
    public static RegistryFault? Find(IEnumerable<string> output)
    {
        string? solve = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        foreach (var line in output)
        {
            if (RetryAfterText().Match(line) is { Success: true } wait)
            {
                retryAfter = TimeSpan.FromSeconds(int.Parse(wait.Groups["seconds"].Value, CultureInfo.InvariantCulture));
            }

            if (line.Contains("ERROR: failed to solve", StringComparison.Ordinal))
            {
                solve = line;
            }
            else if (line.Contains("ERROR:", StringComparison.Ordinal))
            {
                error = line;
            }
        }

        return (solve ?? error) is { } last && Parse(last) is { } fault ? fault with { RetryAfter = retryAfter } : null;
    }

    /// <summary>The fault one line names, or null.</summary>
    public static RegistryFault? Parse(string line)
    {
        // rawjson progress escapes the quotes around URLs; read it as the plain line.
        line = line.Replace("\\\"", "\"", StringComparison.Ordinal);
        if (line.Contains("context canceled", StringComparison.Ordinal))
        {
            return null; // Ctrl+C, not the registry
        }

        string? status = null;
        var transient = false;
        if (HttpStatus().Match(line) is { Success: true } http)
        {
            var code = int.Parse(http.Groups["code"].Value, CultureInfo.InvariantCulture);
            status = http.Groups["code"].Value + " " + http.Groups["reason"].Value.Trim();
            transient = code is >= 500 and <= 599 or 408 or 429;
        }
        else if (BrokenConnection().Match(line) is { Success: true } broken)
        {
            var reason = broken.Value.TrimStart(':', ' ');
            status = reason.Contains("timeout", StringComparison.OrdinalIgnoreCase) || reason.Contains("deadline", StringComparison.Ordinal)
                ? $"no answer in time ({reason})"
                : $"a broken connection ({reason})";
            transient = true;
        }

        if (status is null)
        {
            return null;
        }

        if (RequestUrl().Match(line) is not { Success: true } url)
        {
            // containerd's pusher can lose the request before it names it: "failed to push host/repo:tag: failed to copy: io: read/write on closed pipe".
            return transient && PushTarget().Match(line) is { Success: true } push
                ? new RegistryFault(push.Groups["registry"].Value, "pushing a layer of " + push.Groups["name"].Value, status, true, null)
                : null;
        }

        var method = url.Groups["method"].Value.ToUpperInvariant();
        var registry = url.Groups["registry"].Value;
        var path = url.Groups["path"].Value;
        var api = ApiPath().Match(path);
        var repository = api.Success ? api.Groups["name"].Value : path;
        var what = api.Success ? api.Groups["what"].Value : string.Empty;
        string operation;
        if (BaseImage().Match(line) is { Success: true } source)
        {
            operation = "resolving the base image " + StripRegistry(source.Groups["image"].Value);
        }
        else if (line.Contains("error writing layer blob", StringComparison.Ordinal) || line.Contains("error writing manifest blob", StringComparison.Ordinal))
        {
            operation = "exporting the build cache to " + repository;
        }
        else
        {
            operation = (what, method) switch
            {
                ("blobs/uploads", _) => "pushing a layer of " + repository,
                ("blobs", _) when line.Contains("failed to push", StringComparison.Ordinal) => "pushing a layer of " + repository,
                ("blobs", _) => "pulling a layer of " + repository,
                ("manifests", "PUT") => "pushing the manifest of " + repository,
                ("manifests", _) => "resolving the manifest of " + repository,
                _ => "calling " + path,
            };
        }

        var blobNotYetPushed = !transient && what == "manifests" && method == "PUT" && status.StartsWith("400 ", StringComparison.Ordinal);
        return new RegistryFault(registry, operation, status, transient || blobNotYetPushed, null) { RetryOnce = blobNotYetPushed };
    }

    private static string StripRegistry(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && image[..slash].IndexOfAny(['.', ':']) >= 0 ? image[(slash + 1)..] : image;
    }

    // "unexpected status from PUT request to http://…: 500 Internal Server Error", "unexpected status code https://…: 503 Service Unavailable - …",
    // ": 429 Too Many Requests"; the code must follow ": " so digits inside URLs never count.
    [GeneratedRegex(@":\s(?<code>[1-5][0-9]{2})\s(?<reason>[A-Z][A-Za-z' ]*[a-z])")]
    private static partial Regex HttpStatus();

    [GeneratedRegex(@":\s(connection reset by peer|broken pipe|unexpected EOF|EOF|i/o timeout|TLS handshake timeout|context deadline exceeded|Client\.Timeout exceeded[^""]*|connection refused|server closed idle connection|http: server closed the connection|use of closed network connection|io: read/write on closed pipe)\b?")]
    private static partial Regex BrokenConnection();

    // The request the line names: `… from PUT request to http://host/v2/…`, `failed to do request: Put "http://host/v2/…"`, `status code https://host/v2/…`.
    [GeneratedRegex(@"(?:(?<method>HEAD|GET|POST|PUT|PATCH|DELETE) request to |request: (?<method>Head|Get|Post|Put|Patch|Delete) ""|status code |^|\s)https?://(?<registry>[^/\s""]+)(?<path>/v2/[^\s"":?]+(?::[0-9a-f]+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex RequestUrl();

    // "failed to push 127.0.0.1:5000/samples/dotnet-api:1.0: …": the registry and repository of an image being pushed.
    [GeneratedRegex(@"failed to push (?<registry>[^/\s]+)/(?<name>[^\s:@]+)")]
    private static partial Regex PushTarget();

    [GeneratedRegex(@"^/v2/(?<name>.+?)/(?<what>blobs/uploads|blobs|manifests|tags)(?:/|$)")]
    private static partial Regex ApiPath();

    // BuildKit resolving a FROM image: "failed to resolve source metadata for 127.0.0.1:5000/dotnet/sdk:10.0: …".
    [GeneratedRegex(@"failed to resolve source metadata for (?<image>[^\s:]+(?::[0-9]+)?/[^\s]+?):\s")]
    private static partial Regex BaseImage();

    [GeneratedRegex(@"Retry-After:?\s*(?<seconds>[0-9]{1,4})\b", RegexOptions.IgnoreCase)]
    private static partial Regex RetryAfterText();
}
