using System.Text.Json;

namespace Stevedore.Tasks.Engine;

/// <summary>Reads `docker info --format '{{json .DriverStatus}}'`: is the containerd image store (snapshotter) on?</summary>
internal static class DockerDriverStatus
{
    /// <summary>
    /// True when the storage driver is a containerd snapshotter (`[["driver-type","io.containerd.snapshotter.v1"]]`).
    /// Only then can the docker buildx driver build several platforms at once and export local/registry caches.
    /// </summary>
    public static bool UsesContainerdImageStore(string driverStatusJson)
    {
        try
        {
            using var json = JsonDocument.Parse(driverStatusJson);
            if (json.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            return UsesContainerdImageStore(json.RootElement.EnumerateArray()
                .Where(pair => pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2
                    && pair[0].ValueKind == JsonValueKind.String && pair[1].ValueKind == JsonValueKind.String)
                .Select(pair => new[] { pair[0].GetString()!, pair[1].GetString()! }));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The same from the pairs the engine's API gives (GET /info, DriverStatus).</summary>
    public static bool UsesContainerdImageStore(IEnumerable<string[]> driverStatus) =>
        driverStatus.Any(pair => pair is [ "driver-type", var type ] && type.StartsWith("io.containerd.snapshotter", StringComparison.Ordinal));
}
