using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Stevedore.Testing.Faults;

/// <summary>What a registry request does, in the words of the distribution API; a rule names the kinds it hits.</summary>
public enum RequestKind
{
    /// <summary>GET /v2/ (the API version check).</summary>
    Ping,

    /// <summary>A bearer token request (anything outside /v2/ whose path names a token or auth endpoint).</summary>
    Token,

    /// <summary>POST, PATCH or PUT under /v2/&lt;name&gt;/blobs/uploads/: starting, sending or committing a layer or config.</summary>
    BlobUpload,

    /// <summary>GET or HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;: a pull of a layer, or the existence check before a push.</summary>
    BlobRead,

    /// <summary>PUT /v2/&lt;name&gt;/manifests/&lt;reference&gt;: pushing a manifest or an index (the index moves the tag).</summary>
    ManifestPut,

    /// <summary>GET or HEAD /v2/&lt;name&gt;/manifests/&lt;reference&gt;: resolving a tag (a base image, a cache).</summary>
    ManifestRead,

    /// <summary>Anything else (tag lists, deletes, the catalog).</summary>
    Other,
}

/// <summary>What the proxy does instead of (or before) passing a request on.</summary>
public abstract record FaultAction
{
    /// <summary>Answers <paramref name="Code"/> without asking the registry, with a Retry-After header when given.</summary>
    public sealed record Status(int Code, int? RetryAfterSeconds = null) : FaultAction
    {
        public override string ToString() => RetryAfterSeconds is { } s ? $"{Code} (Retry-After: {s})" : Code.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Resets the connection (RST) mid-body: after part of an upload's body arrived, or part of a download's body was sent.</summary>
    public sealed record Reset : FaultAction
    {
        public override string ToString() => "connection reset";
    }

    /// <summary>Holds the request for <paramref name="Time"/>, then passes it on.</summary>
    public sealed record Delay(TimeSpan Time) : FaultAction
    {
        public override string ToString() => $"delay {Time.TotalSeconds:0.#}s";
    }

    /// <summary>
    /// A rate limit: the first matching request opens a window of <paramref name="RetryAfterSeconds"/>; every matching request
    /// before it closes gets 429 with the seconds left as Retry-After; the first one after it passes. Times counts windows.
    /// </summary>
    public sealed record RateLimit(int RetryAfterSeconds) : FaultAction
    {
        public override string ToString() => $"429 (Retry-After: {RetryAfterSeconds})";
    }
}

/// <summary>One rule: which requests it hits (kinds, methods, repository prefix), how often, and what it does.</summary>
public sealed record FaultRule(FaultAction Action, params RequestKind[] Kinds)
{
    /// <summary>Only these methods (upper case); empty: every method of the kinds.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Only repositories that start with this (e.g. "dotnet/" for the base images); null: every repository.</summary>
    public string? Repository { get; init; }

    /// <summary>The share of matching requests it hits, decided per request from the plan's seed.</summary>
    public double Probability { get; init; } = 1;

    /// <summary>It stops after hitting this many requests (or, for a rate limit, opening this many windows); null: never.</summary>
    public int? Times { get; init; }

    /// <summary>The first matching requests it lets through untouched.</summary>
    public int Skip { get; init; }

    public override string ToString()
    {
        var text = new StringBuilder(Action.ToString()).Append(" on ").Append(string.Join('|', Kinds));
        if (Methods.Count > 0)
        {
            text.Append(' ').Append(string.Join('|', Methods));
        }

        if (Repository is not null)
        {
            text.Append(" of ").Append(Repository).Append('*');
        }

        if (Probability < 1)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Probability:P0}");
        }

        if (Times is { } times)
        {
            text.Append(CultureInfo.InvariantCulture, $" ×{times}");
        }

        return text.ToString();
    }
}

/// <summary>One request the plan decided on: what it was and what was done to it.</summary>
public sealed record FaultDecision(string Method, string Path, RequestKind Kind, string? Repository, FaultAction? Action)
{
    public override string ToString() => $"{Method} {Path} → {(Action is null ? "passed" : Action.ToString())}";
}

/// <summary>
/// The rules of one proxy and the state they keep (how many requests each matched and hit, open rate-limit windows).
/// Whether a probabilistic rule hits is a hash of the seed, the rule, the request (upload ids removed) and how many times
/// that same request was seen before: the same seed gives the same decisions for the same requests, whatever the timing.
/// Thread-safe; the clock is a parameter so tests do not wait.
/// </summary>
public sealed partial class FaultPlan(int seed, IReadOnlyList<FaultRule> rules)
{
    private readonly object gate = new();
    private readonly int[] matched = new int[rules.Count];
    private readonly int[] hit = new int[rules.Count];
    private readonly DateTime[] windowEnds = new DateTime[rules.Count];
    private readonly Dictionary<string, int> seen = new(StringComparer.Ordinal);

    public FaultPlan(int seed, params FaultRule[] rules)
        : this(seed, (IReadOnlyList<FaultRule>)rules)
    {
    }

    public int Seed { get; } = seed;

    public IReadOnlyList<FaultRule> Rules { get; } = rules;

    /// <summary>What the distribution API path <paramref name="path"/> (query included or not) is for <paramref name="method"/>.</summary>
    public static RequestKind Classify(string method, string path)
    {
        var bare = path.Split('?', 2)[0];
        if (bare is "/v2" or "/v2/")
        {
            return RequestKind.Ping;
        }

        if (!bare.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return TokenPath().IsMatch(bare) ? RequestKind.Token : RequestKind.Other;
        }

        if (ApiPath().Match(bare) is not { Success: true } api)
        {
            return RequestKind.Other;
        }

        return (api.Groups["what"].Value, method) switch
        {
            ("blobs/uploads", "POST" or "PATCH" or "PUT") => RequestKind.BlobUpload,
            ("blobs", "GET" or "HEAD") => RequestKind.BlobRead,
            ("manifests", "PUT") => RequestKind.ManifestPut,
            ("manifests", "GET" or "HEAD") => RequestKind.ManifestRead,
            _ => RequestKind.Other,
        };
    }

    /// <summary>The repository a /v2/ path names ("samples/dotnet-api"), or null.</summary>
    public static string? RepositoryOf(string path) =>
        ApiPath().Match(path.Split('?', 2)[0]) is { Success: true } api ? api.Groups["name"].Value : null;

    /// <summary>The request as the seed sees it: upload session ids and every query value but the digest left out.</summary>
    public static string Key(string method, string path)
    {
        var parts = path.Split('?', 2);
        var bare = UploadId().Replace(parts[0], "/blobs/uploads/*");
        var digest = parts.Length == 2 ? DigestQuery().Match(parts[1]) : Match.Empty;
        return method + " " + bare + (digest.Success ? "?" + digest.Value : string.Empty);
    }

    /// <summary>What to do with one request arriving at <paramref name="now"/>: the first rule that matches and hits wins.</summary>
    public FaultDecision Decide(string method, string path, DateTime now)
    {
        var kind = Classify(method, path);
        var repository = RepositoryOf(path);
        var key = Key(method, path);
        lock (gate)
        {
            var occurrence = seen[key] = seen.GetValueOrDefault(key) + 1;
            for (var i = 0; i < Rules.Count; i++)
            {
                var rule = Rules[i];
                if (!rule.Kinds.Contains(kind)
                    || (rule.Methods.Count > 0 && !rule.Methods.Contains(method, StringComparer.Ordinal))
                    || (rule.Repository is not null && (repository is null || !repository.StartsWith(rule.Repository, StringComparison.Ordinal))))
                {
                    continue;
                }

                if (++matched[i] <= rule.Skip)
                {
                    continue;
                }

                if (rule.Action is FaultAction.RateLimit limit)
                {
                    if (now < windowEnds[i])
                    {
                        var left = (int)Math.Ceiling((windowEnds[i] - now).TotalSeconds);
                        return new(method, path, kind, repository, new FaultAction.Status(429, Math.Max(1, left)));
                    }

                    if ((rule.Times is null || hit[i] < rule.Times) && Hits(i, key, occurrence, rule.Probability))
                    {
                        hit[i]++;
                        windowEnds[i] = now.AddSeconds(limit.RetryAfterSeconds);
                        return new(method, path, kind, repository, new FaultAction.Status(429, limit.RetryAfterSeconds));
                    }

                    continue;
                }

                if ((rule.Times is null || hit[i] < rule.Times) && Hits(i, key, occurrence, rule.Probability))
                {
                    hit[i]++;
                    return new(method, path, kind, repository, rule.Action);
                }
            }

            return new(method, path, kind, repository, null);
        }
    }

    /// <summary>How many requests each rule hit so far (rate limits: windows opened).</summary>
    public IReadOnlyList<int> Hits()
    {
        lock (gate)
        {
            return [.. hit];
        }
    }

    private bool Hits(int rule, string key, int occurrence, double probability)
    {
        if (probability >= 1)
        {
            return true;
        }

        if (probability <= 0)
        {
            return false;
        }

        // FNV-1a over seed, rule, request and occurrence: stable across processes (string.GetHashCode is not).
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{Seed}\n{rule}\n{key}\n{occurrence}"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        // Mix the high bits down so the low-order fraction is well spread.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return (hash >> 11) * (1.0 / (1UL << 53)) < probability;
    }

    [GeneratedRegex(@"^/v2/(?<name>.+?)/(?<what>blobs/uploads|blobs|manifests|tags)(?:/|$)")]
    private static partial Regex ApiPath();

    [GeneratedRegex(@"/blobs/uploads/[^/]+$")]
    private static partial Regex UploadId();

    [GeneratedRegex(@"(?<=^|&)digest=[^&]+")]
    private static partial Regex DigestQuery();

    [GeneratedRegex(@"(^|/)(token|auth|oauth2?)(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex TokenPath();
}
