using Stevedore.Testing;

namespace Stevedore.EndToEnd.Tests.Engine;

/// <summary>
/// A two-line Dockerfile on the stand-in runtime-deps image whose RUN step is unique to this instance,
/// so its first build can never be a cache hit.
/// </summary>
public sealed class SmallImage
{
    public const string StandIn = "dotnet/runtime-deps:10.0";
    public const string BaseImage = Repo.Registry + "/" + StandIn;
    public const string BothPlatforms = "linux/amd64,linux/arm64";

    public SmallImage(string testName)
    {
        RegistryImage.RequireStandIn(StandIn);
        Tag = BuildCache.NewTag();
        Context = Repo.NewTempFolder(testName);
        File.WriteAllText(Path.Combine(Context, "Dockerfile"), $"""
            FROM {BaseImage}
            RUN echo "{Tag}" > /tmp/run-id && uname -m > /tmp/arch
            """);
    }

    public string Tag { get; }

    public string Context { get; }

    public string Image => $"{Repo.Registry}/{Repository}:{Tag}";

    public static string Repository => "e2e/engine-check";

    /// <summary>`docker buildx build --platform amd64,arm64 --network=host --provenance=false --progress=plain --push`, plus <paramref name="extra"/>.</summary>
    public CommandResult Build(params string[] extra) =>
        CommandRunner.Run(
            "docker",
            ["buildx", "build", "--platform", BothPlatforms, "--network=host", "--provenance=false", "--progress=plain",
             "--push", "-t", Image, .. extra, Context],
            timeout: TimeSpan.FromMinutes(10)).EnsureSuccess();
}
