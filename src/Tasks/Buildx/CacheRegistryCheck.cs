using System.Net;
using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Images;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// Before a build whose registry cache export may not fail (type=registry without ignore-error): asks the cache registry
/// to start an upload to the cache repository, and cancels it. buildx pushes the image before it exports the cache, so a
/// cache registry that answers 5xx or 429 would fail the publish only after the tag moved; found here, nothing is built.
/// One request pair, and only for such caches: a build with ignore-error (as ContainerCacheRef sets) asks nothing.
/// </summary>
internal static class CacheRegistryCheck
{
    /// <summary>The refs of <paramref name="cacheTo"/> specs that are registry caches whose export failure fails the build.</summary>
    public static IReadOnlyList<string> StrictRegistryCaches(IEnumerable<CacheSpec> cacheTo) =>
        cacheTo.Where(spec => spec.Type == "registry" && !spec.IgnoresErrors && spec.Options.ContainsKey("ref"))
            .Select(spec => spec.Options["ref"])
            .ToList();

    /// <summary>
    /// Probes <paramref name="reference"/> through <paramref name="ask"/>, waiting between attempts as a failed build would;
    /// throws STV3204 when the registry still answers a transient fault after <paramref name="retries"/> more attempts.
    /// </summary>
    /// <param name="ask">Answers the status of one probe: null when the registry accepts (or the answer cannot tell, e.g. 401), else the fault.</param>
    /// <param name="wait">Waits between attempts; false when cancelled.</param>
    public static void Require(string reference, int retries, Func<string, RegistryFault?> ask, Func<TimeSpan, bool> wait, Action<RegistryFault, int, TimeSpan> retrying)
    {
        for (var attempt = 1; ; attempt++)
        {
            var fault = ask(reference);
            if (fault is null || !fault.IsTransient)
            {
                return; // buildx reports anything permanent itself, with the credentials it has
            }

            if (attempt > retries)
            {
                throw new DiagnosticException("CacheRegistryFailing", fault.Registry, fault.Status, reference, attempt);
            }

            var delay = BuildRetry.Delay(attempt, fault.RetryAfter);
            retrying(fault, attempt + 1, delay);
            if (!wait(delay))
            {
                return;
            }
        }
    }

    /// <summary>POST an upload to the cache repository and DELETE it again: the status of the POST, as a fault or null.</summary>
    public static RegistryFault? Ask(string reference)
    {
        ImageReference image;
        try
        {
            image = ImageReference.Parse(reference, "ContainerCacheTo");
        }
        catch (DiagnosticException)
        {
            return null; // the cache spec checks reported it
        }

        var address = RegistryAddress.For(image);
        var registry = address.BaseUri.Authority;
        var operation = "starting a cache upload to " + address.Repository;
        using var http = new RegistryClient(TimeSpan.FromSeconds(30), followRedirects: false);
        try
        {
            using var start = http.Send(HttpMethod.Post, new Uri(address.BaseUri, $"v2/{address.Repository}/blobs/uploads/"));
            var code = (int)start.StatusCode;
            if (start.StatusCode == HttpStatusCode.Accepted && start.Headers.Location is { } location)
            {
                using var cancel = http.Send(HttpMethod.Delete, new Uri(address.BaseUri, location));
            }

            return code is >= 500 or 408 or 429
                ? new RegistryFault(registry, operation, $"{code} {start.ReasonPhrase}", IsTransient: true, RetryAfter: start.Headers.RetryAfter?.Delta)
                : null;
        }
        catch (Exception e) when (RegistryClient.Unreachable(e))
        {
            var status = e is TaskCanceledException ? "no answer in time" : $"a broken connection ({e.InnerException?.Message ?? e.Message})";
            return new RegistryFault(registry, operation, status, IsTransient: true, RetryAfter: null);
        }
    }
}
