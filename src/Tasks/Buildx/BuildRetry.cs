using Microsoft.Build.Utilities;

namespace Stevedore.Tasks.Buildx;

/// <summary>What to do after one failed `docker buildx build`: build again after <see cref="Delay"/>, or stop.</summary>
/// <param name="Fault">The registry fault the output names; null when the build failed for another reason.</param>
/// <param name="EngineRace">The build failed on a known race inside the engine (<see cref="BuildRetry.EngineRace"/>): the resource name of its warning.</param>
internal sealed record RetryDecision(RegistryFault? Fault, bool Retry, TimeSpan Delay, string? EngineRace = null);

/// <summary>
/// Stevedore's retry policy over what BuildKit already retries: BuildKit retries a failed layer or manifest push (5xx,
/// resets) a few times within one second to eight, a 429 at once, and a base-image resolve not at all (see
/// docs/diagnostics.md). When it still gives up on a transient registry fault, the whole build runs again: every step
/// comes from the build cache and blobs the registry already holds are not sent again, so an attempt costs seconds.
/// Pure: decided from the captured output of the attempt that failed.
/// </summary>
internal static class BuildRetry
{
    /// <summary>The default of ContainerPushRetries: attempts after the first.</summary>
    public const int DefaultRetries = 3;

    /// <summary>The first wait; each further one doubles (2 s, 4 s, 8 s, …), capped at <see cref="MaxDelay"/>.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait, also for a registry's Retry-After.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    /// <param name="output">Every line buildx printed in the failed attempt.</param>
    /// <param name="attempt">The attempt that failed, 1 for the first.</param>
    /// <param name="retries">How many attempts may follow the first (ContainerPushRetries).</param>
    public static RetryDecision Decide(IEnumerable<string> output, int attempt, int retries)
    {
        var lines = output as IReadOnlyCollection<string> ?? output.ToList();
        var fault = RegistryFault.Find(lines);
        if (fault is null && EngineRace(lines) is { } race)
        {
            return attempt > retries
                ? new RetryDecision(null, false, TimeSpan.Zero, race)
                : new RetryDecision(null, true, Delay(attempt, null), race);
        }

        if (fault is { RetryOnce: true } && attempt > 1)
        {
            return new RetryDecision(fault with { IsTransient = false, RetryOnce = false }, false, TimeSpan.Zero); // refused again: rejected
        }

        if (fault is not { IsTransient: true } || attempt > retries)
        {
            return new RetryDecision(fault, false, TimeSpan.Zero);
        }

        return new RetryDecision(fault, true, Delay(attempt, fault.RetryAfter));
    }

    /// <summary>Whether <see cref="Decide"/> reads <paramref name="line"/> of buildx's output: its errors and a registry's Retry-After; a task keeps only these.</summary>
    public static bool Reads(string line) =>
        line.Contains("ERROR:", StringComparison.Ordinal) || line.Contains("Retry-After", StringComparison.OrdinalIgnoreCase);

    /// <summary>The warning that announces attempt <paramref name="next"/> of <paramref name="attempts"/>, naming what ended the one before.</summary>
    public static void LogRetry(TaskLoggingHelper log, RetryDecision retry, int next, int attempts)
    {
        if (retry.Fault is { } fault)
        {
            log.LogWarningWithCodeFromResources("RegistryFaultRetrying", fault.Registry, fault.Status, fault.Operation, next, attempts, retry.Delay.TotalSeconds);
        }
        else
        {
            log.LogWarningWithCodeFromResources(retry.EngineRace ?? SharedStepRaceRetrying, next, attempts, retry.Delay.TotalSeconds);
        }
    }

    private const string SharedStepRaceRetrying = "SharedStepRaceRetrying";

    /// <summary>
    /// The warning's resource name when the build ended on a known race inside the engine, or null. Nothing in the project
    /// or the registry is wrong, and the same build run again takes the steps that finished from the cache. Read from
    /// buildx's last `failed to solve` error only.
    /// <list type="bullet">
    /// <item>BuildKit's race between builds running at once on one engine that share a step (the same base image, the
    /// same COPY): `failed to compute cache key: failed to get state for index 0 on [build 12/14] COPY …`
    /// (moby/buildkit#3635): STV3205.</item>
    /// <item>The engine's image store losing a layer's snapshot while it unpacks the new image (`exporting to image`):
    /// `failed to prepare extraction snapshot "extract-…": parent snapshot sha256:… does not exist: not found`, seen
    /// with parallel builds and a build cache emptied shortly before: STV3206.</item>
    /// </list>
    /// </summary>
    public static string? EngineRace(IEnumerable<string> output)
    {
        var lines = output as IReadOnlyCollection<string> ?? output.ToList();
        // buildx build: `ERROR: failed to solve: …`; bake names the target: `ERROR: target api: failed to solve: …`.
        var solve = lines.LastOrDefault(line => line.Contains("ERROR:", StringComparison.Ordinal) && line.Contains("failed to solve", StringComparison.Ordinal));
        return solve switch
        {
            null => null,
            _ when solve.Contains("failed to compute cache key: failed to get state for index", StringComparison.Ordinal) => SharedStepRaceRetrying,
            _ when solve.Contains("failed to prepare extraction snapshot", StringComparison.Ordinal)
                && solve.Contains("parent snapshot", StringComparison.Ordinal) && solve.Contains("does not exist", StringComparison.Ordinal) => "LostSnapshotRetrying",
            _ => null,
        };
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: doubling from <see cref="FirstDelay"/>, or the registry's Retry-After when longer; at most <see cref="MaxDelay"/>.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan? retryAfter)
    {
        var backoff = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Clamp(attempt - 1, 0, 16)));
        return retryAfter is { } asked && asked > backoff ? (asked < MaxDelay ? asked : MaxDelay) : backoff;
    }
}
