using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Reproducibility;

/// <summary>
/// A docker-container builder of the test's own: its own buildkitd (the image eng/buildkit-image.sh pushes) in a
/// container on the host network, with an empty build cache, as on a fresh CI runner. It reaches the local registry
/// over plain HTTP through a buildkitd.toml. Disposing removes the builder, its container and its state volume.
/// </summary>
public sealed class FreshBuilder : IDisposable
{
    /// <summary>The BuildKit image eng/buildkit-image.sh builds from Debian's sources (nothing can be pulled from Docker Hub here).</summary>
    public const string ImageRepository = "moby/buildkit";

    public const string ImageTag = "v0.13";

    private FreshBuilder(string name) => Name = name;

    /// <summary>The builder's name, for ContainerBuilder.</summary>
    public string Name { get; }

    public static string Image => $"{Repo.Registry}/{ImageRepository}:{ImageTag}";

    /// <summary>Throws, naming the fix, unless the local registry holds the BuildKit image.</summary>
    public static void RequireImage()
    {
        if (RegistryImage.Find(ImageRepository, ImageTag) is null)
        {
            throw new InvalidOperationException($"The BuildKit image {Image} is not in the local registry. Run `eng/buildkit-image.sh` (eng/test.sh does).");
        }
    }

    /// <summary>`docker buildx create --driver docker-container … --bootstrap`; its buildkitd.toml goes to <paramref name="folder"/>.</summary>
    public static FreshBuilder Create(string folder)
    {
        RequireImage();
        var name = "stv-repro-" + Guid.NewGuid().ToString("N")[..8];
        var config = Path.Combine(folder, name + ".buildkitd.toml");
        File.WriteAllText(config, $"""
            [registry."{Repo.Registry}"]
              http = true
            """);
        var builder = new FreshBuilder(name);
        try
        {
            CommandRunner.Run("docker", ["buildx", "create", "--name", name, "--driver", "docker-container",
                    "--driver-opt", $"image={Image}", "--driver-opt", "network=host", "--config", config, "--bootstrap"],
                timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
        }
        catch
        {
            builder.Dispose();
            throw;
        }

        return builder;
    }

    public void Dispose() => CommandRunner.Run("docker", ["buildx", "rm", Name], timeout: TimeSpan.FromMinutes(2));
}
