using System.Net;
using Stevedore.Testing;

namespace Stevedore.Sdk.Tests.BadInput;

/// <summary>The bad-input matrix: what a user can get wrong, grouped as the diagnostics are.</summary>
public static class BadInputs
{
    private const string DryRun = "ContainerBuild=false";
    private const string Push = "ContainerRegistry=" + Repo.Registry;
    private const string Both = "ContainerPlatforms=linux/amd64%3Blinux/arm64";

    // The packed SDK's feed and the AOT sample's (the ILCompiler, crossgen and runtime packs the host restore asks for).
    private static (string Path, string Content) AotFeed() => ("nuget.config", $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="stevedore" value="{PackedSdk.Feed}" />
            <add key="packs" value="{Repo.Path("samples", "aot", "packages")}" />
          </packageSources>
        </configuration>
        """);

    public static readonly BadInput[] All =
    [
        // Platforms (STV1001).
        new("platform typo", "STV1001", "'linux/amd46'", [DryRun, "ContainerPlatforms=linux/amd46"]),
        new("windows platform", "STV1001", "'windows/amd64'", [DryRun, "ContainerPlatforms=linux/amd64%3Bwindows/amd64"]),
        new("platform without arch", "STV1001", "'linux/'", [DryRun, "ContainerPlatforms=linux/"]),
        new("platform without os", "STV1001", "'amd64'", [DryRun, "ContainerPlatforms=amd64"]),
        new("dotnet rid as platform", "STV1001", "'linux-x64'", [DryRun, "ContainerPlatforms=linux-x64"]),
        new("upper-case variant", "STV1001", "'linux/arm/V7'", [DryRun, "ContainerPlatforms=linux/arm/V7"]),

        // Repository, tags, registries (STV1002-1004).
        new("registry with an upper-case path", "STV1004", "'ghcr.io/My-Org'", [DryRun, "ContainerRegistry=ghcr.io/My-Org"]),
        new("upper-case repository", "STV1002", "'Shop/Api'", [DryRun, "ContainerRepository=Shop/Api"]),
        new("repository with a space", "STV1002", "'shop api'", [DryRun, "ContainerRepository=shop api"]),
        new("colon in repository", "STV1002", "'shop:api'", [DryRun, "ContainerRepository=shop:api"]),
        new("repository starting with a dash", "STV1002", "'-api'", [DryRun, "ContainerRepository=-api"]),
        new("tag starting with a dot", "STV1003", "'.hidden'", [DryRun, "ContainerImageTag=.hidden"]),
        new("tag of 129 characters", "STV1003", "'" + new string('t', 129) + "'", [DryRun, "ContainerImageTag=" + new string('t', 129)]),
        new("tag with a space in a list", "STV1003", "'bad tag'", [DryRun, "ContainerImageTags=1.0%3Bbad tag"]),
        new("tag with a plus (SemVer build metadata)", "STV1003", "'1.0.0+abc'", [DryRun, "ContainerImageTag=1.0.0+abc"]),
        new("registry with a scheme", "STV1004", "'https://registry.example.com'", [DryRun, "ContainerRegistry=https://registry.example.com"]),
        new("registry with a space", "STV1004", "'reg istry'", [DryRun, "ContainerRegistry=reg istry"]),
        new("mirror with a scheme", "STV1004", "'http://mirror.example.com'", [DryRun, "ContainerBaseImageRegistry=http://mirror.example.com"]),

        // Images, ports, environment (STV1008-1010).
        new("base image with spaces", "STV1008", "'Not An Image'", [DryRun, "ContainerBaseImage=Not An Image"]),
        new("upper-case build image", "STV1008", "'Upper/sdk:10.0'", [DryRun, "ContainerBuildImage=Upper/sdk:10.0"]),
        new("port out of range", "STV1009", "'70000'", [DryRun], Project: "<ItemGroup><ContainerPort Include=\"70000\" /></ItemGroup>"),
        new("port with an unknown protocol", "STV1009", "'80/sctp'", [DryRun], Project: "<ItemGroup><ContainerPort Include=\"80\" Type=\"sctp\" /></ItemGroup>"),
        new("environment name starting with a digit", "STV1010", "'1BAD'", [DryRun], Project: "<ItemGroup><ContainerEnvironmentVariable Include=\"1BAD\" Value=\"x\" /></ItemGroup>"),
        new("label line without a key", "STV1070", "'=oops'", [DryRun, "ContainerLabels=team=orders%3B=oops"]),

        // Conflicting options (STV1007, STV1011, STV11xx).
        new("archive and registry", "STV1011", "'/tmp/app.tar'", [DryRun, "ContainerArchiveOutputPath=/tmp/app.tar", "ContainerRegistry=127.0.0.1:5000"]),
        new("missing own Dockerfile", "STV1007", "missing.Dockerfile'", [DryRun, "ContainerDockerfile=missing.Dockerfile"]),
        // What a publish reuses from the last one: true or false (STV1080-1082).
        new("project graph cache neither true nor false", "STV1080", "'yes'", [DryRun, "ContainerInputsCache=yes"]),
        new("preflight cache neither true nor false", "STV1081", "'0'", [DryRun, "ContainerPreflightCache=0"]),
        new("compile cache neither true nor false", "STV1082", "'off'", [DryRun, "ContainerCompileCache=off"]),

        new("eject with own Dockerfile", "STV1101", "'Dockerfile'", ["ContainerEject=true", "ContainerDockerfile=Dockerfile"],
            Files: [("src/App/Dockerfile", "FROM scratch\n")]),

        // The .NET SDK's container properties that cannot mean the same here, or contradict each other (STV1030-1037).
        new("entrypoint args with app command args and no entrypoint", "STV1030", "(--verbose)", [DryRun, "ContainerEntrypointArgs=--verbose", "ContainerAppCommandArgs=--urls"]),
        new("app command with instruction None", "STV1031", "--urls", [DryRun, "ContainerAppCommandInstruction=None", "ContainerAppCommandArgs=--urls"]),
        new("entrypoint beside instruction Entrypoint", "STV1032", "/bin/sh", [DryRun, "ContainerAppCommandInstruction=Entrypoint", "ContainerEntrypoint=/bin/sh"]),
        new("unknown app command instruction", "STV1033", "'Cmd'", [DryRun, "ContainerAppCommandInstruction=Cmd"]),
        new("windows runtime identifier", "STV1034", "'win-x64'", [DryRun, "ContainerRuntimeIdentifiers=win-x64"]),
        new("unknown image format", "STV1035", "'Oci1'", [DryRun, "ContainerImageFormat=Oci1"]),
        new("podman as the local registry", "STV1036", "'Podman'", [DryRun, "LocalRegistry=Podman"]),
        new("the SDK's registry credentials", "STV1037", "docker login 127.0.0.1:5000", [DryRun, Push],
            Environment: new() { ["SDK_CONTAINER_REGISTRY_UNAME"] = "user", ["SDK_CONTAINER_REGISTRY_PWD"] = "secret" }),

        // Attestations (STV1105-1106).
        new("provenance mode without mode=", "STV1105", "'max'", [DryRun, "ContainerProvenance=max"]),
        new("sbom yes", "STV1106", "'yes'", [DryRun, "ContainerSbom=yes"]),

        // Ahead-of-time publish options that exclude each other (STV1111-1114); restore finds the ILCompiler packs in the AOT sample's feed.
        new("aot framework-dependent", "STV1111", "SelfContained=false", [DryRun, Both, "PublishAot=true", "SelfContained=false"], Files: [AotFeed()]),
        new("aot with readytorun", "STV1112", "PublishReadyToRun=true", [DryRun, Both, "PublishAot=true", "PublishReadyToRun=true"], Files: [AotFeed()]),
        new("trimmed framework-dependent", "STV1113", "SelfContained=false", [DryRun, Both, "PublishTrimmed=true", "PublishSelfContained=false"], Files: [AotFeed()]),
        new("aot for linux/arm/v7", "STV1114", "'linux/arm/v7'", [DryRun, "ContainerPlatforms=linux/amd64%3Blinux/arm/v7", "PublishAot=true"], Files: [AotFeed()]),

        // Project shapes.
        // Several target frameworks (STV1102) is a unit test: offline, restore of a second framework fails first (NU1101).
        new("class library", "STV1103", "'Library'", [DryRun], Project: "<PropertyGroup><OutputType>Library</OutputType></PropertyGroup>"),
        new("context that does not hold the project", "STV1104", "elsewhere", [DryRun, "ContainerBuildContext=../elsewhere"],
            Files: [("src/elsewhere/README.md", "not the project\n")]),

        // Cache specs (the cache SDK's own codes).
        new("unknown cache type", "STV3001", "'floppy'", [DryRun, "ContainerCacheTo=type=floppy"]),
        new("local cache without dest", "STV3002", "dest", [DryRun, "ContainerCacheTo=type=local"]),
        new("cache ref with a tag", "STV3010", "'127.0.0.1:5000/shop/api-cache:main'", [DryRun, "ContainerCacheRef=127.0.0.1:5000/shop/api-cache:main"]),

        // OS packages: what the options say alone (the base image's own package manager is known once it is resolved).
        new("unknown package manager", "STV1202", "'yum'", [DryRun, "ContainerOsPackageManager=yum"], Project: "<ItemGroup><ContainerOsPackage Include=\"curl\" /></ItemGroup>"),
        new("two packages in one item", "STV1204", "'curl wget'", [DryRun], Project: "<ItemGroup><ContainerOsPackage Include=\"curl wget\" /></ItemGroup>"),

        // Platforms spread over builders, pushed by digest: a registry is needed.
        new("platform builders without a registry", "STV1407", "linux/amd64=default", ["ContainerPlatformBuilders=linux/amd64=default"]),

        // Environment: the preflight stops these before any build (nothing generated is left half-written, no tag moves).
        new("no engine", "STV2101", "unix:///nonexistent.sock", [Both],
            Environment: new() { ["DOCKER_HOST"] = "unix:///nonexistent.sock" }),
        new("no buildx plugin", "STV2102", "docker buildx", [Both],
            Environment: new() { ["DOCKER_CONFIG"] = EmptyDockerConfig() }),
        new("builder that does not exist", "STV2103", "'no-such-builder'", [Both, Push, "ContainerRepository=badinput/builder", "ContainerBuilder=no-such-builder"],
            PushedRepository: "badinput/builder"),
        // Only a stage that runs a step on the platform needs the builder to run it: the user's own Dockerfile here.
        new("own Dockerfile running a step on a platform the builder cannot run", "STV2105", "linux/s390x",
            ["ContainerPlatforms=linux/amd64%3Blinux/s390x", Push, "ContainerRepository=badinput/s390x", "ContainerDockerfile=Own.Dockerfile"],
            Files: [("src/App/Own.Dockerfile", "FROM 127.0.0.1:5000/dotnet/runtime-deps:10.0\nRUN echo runs on each target platform\n")],
            PushedRepository: "badinput/s390x"),
        new("registry that refuses connections", "STV3101", "'127.0.0.1:1'", [Both, "ContainerRegistry=127.0.0.1:1"]),
    ];

    /// <summary>The codes StevedoreCheckOptions gives: these fail before anything is resolved or written.</summary>
    public static readonly HashSet<string> CheckedFirst =
    [
        "STV1001", "STV1002", "STV1003", "STV1004", "STV1008", "STV1009", "STV1010", "STV1011", "STV1030", "STV1031", "STV1032",
        "STV1033", "STV1034", "STV1035", "STV1036", "STV1080", "STV1081", "STV1082", "STV1101", "STV1103", "STV1104", "STV1105", "STV1106", "STV1111", "STV1112",
        "STV1113", "STV1114", "STV1202", "STV1204", "STV1407", "STV3001", "STV3002", "STV3010",
    ];

    // A docker config folder with no cli-plugins: the CLI finds no buildx (the user-wide one is under ~/.docker).
    private static string EmptyDockerConfig() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "stevedore-empty-docker-config")).FullName;

    /// <summary>The digest of <c>PushedRepository:latest</c> (the default tag) in the local registry ("" when absent), or null when the row pushes nowhere.</summary>
    public static string? RegistryTag(BadInput row)
    {
        if (row.PushedRepository is null)
        {
            return null;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{Repo.Registry}/v2/{row.PushedRepository}/manifests/latest");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        using var response = http.Send(request);
        return response.StatusCode == HttpStatusCode.NotFound ? string.Empty : string.Join(",", response.Headers.GetValues("Docker-Content-Digest"));
    }
}
