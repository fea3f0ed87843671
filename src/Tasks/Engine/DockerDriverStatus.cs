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

            foreach (var pair in json.RootElement.EnumerateArray())
            {
                if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2
                    && pair[0].GetString() == "driver-type"
                    && (pair[1].GetString() ?? string.Empty).StartsWith("io.containerd.snapshotter", StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
