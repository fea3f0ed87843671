using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests;

/// <summary>The engine's local build cache.</summary>
public static class BuildCache
{
    /// <summary>
    /// Empties it (`docker buildx prune -af`), so only an imported cache can make a step CACHED.
    /// It is the engine's one cache: classes that call this are [DoNotParallelize].
    /// </summary>
    public static void Prune() => CommandRunner.Docker("buildx", "prune", "-af").EnsureSuccess();

    /// <summary>A tag (and cache-busting value) no earlier run used.</summary>
    public static string NewTag() => "e2e-" + Guid.NewGuid().ToString("N")[..12];
}
