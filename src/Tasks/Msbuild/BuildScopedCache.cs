using Microsoft.Build.Framework;

namespace Stevedore.Tasks.Msbuild;

/// <summary>
/// Values kept for the rest of one MSBuild build (RegisterTaskObject, lifetime Build): what every project of a solution
/// would otherwise ask the engine again. Each MSBuild node keeps its own; a host without IBuildEngine4 keeps nothing.
/// </summary>
internal static class BuildScopedCache
{
    public static T GetOrAdd<T>(IBuildEngine? engine, string key, Func<T> create)
        where T : class
    {
        if (engine is not IBuildEngine4 cache)
        {
            return create();
        }

        var name = "Stevedore." + typeof(T).Name + "|" + key;
        if (cache.GetRegisteredTaskObject(name, RegisteredTaskObjectLifetime.Build) is T kept)
        {
            return kept;
        }

        var value = create();
        cache.RegisterTaskObject(name, value, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
        return value;
    }
}
