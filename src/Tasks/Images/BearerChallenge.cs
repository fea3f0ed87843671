using System.Text.RegularExpressions;

namespace Stevedore.Tasks.Images;

/// <summary>
/// A registry's `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` answer to an anonymous request: where
/// to ask for an anonymous pull token (the token flow of Docker Hub, GHCR, MCR and most others).
/// </summary>
internal sealed partial record BearerChallenge(string Realm, string? Service, string? Scope)
{
    /// <summary>The challenge in a WWW-Authenticate value, or null when it is not a Bearer challenge with a realm.</summary>
    public static BearerChallenge? Parse(string? header)
    {
        if (header is null || !header.TrimStart().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var values = Parameter().Matches(header).ToDictionary(m => m.Groups["key"].Value.ToLowerInvariant(), m => m.Groups["value"].Value);
        return values.TryGetValue("realm", out var realm) && Uri.IsWellFormedUriString(realm, UriKind.Absolute)
            ? new BearerChallenge(realm, values.GetValueOrDefault("service"), values.GetValueOrDefault("scope"))
            : null;
    }

    /// <summary>The token request: the realm with service and a pull scope for <paramref name="repository"/> (the challenge's own scope when given).</summary>
    public Uri TokenUri(string repository)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(Service))
        {
            query.Add("service=" + Uri.EscapeDataString(Service));
        }

        query.Add("scope=" + Uri.EscapeDataString(Scope ?? $"repository:{repository}:pull"));
        return new Uri(Realm + (Realm.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", query));
    }

    [GeneratedRegex("(?<key>[A-Za-z]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Parameter();
}
