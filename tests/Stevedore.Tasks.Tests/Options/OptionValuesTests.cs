using Microsoft.Build.Utilities;
using Stevedore.Tasks.Options;

namespace Stevedore.Tasks.Tests.Options;

/// <summary>Values read from the project alone fail in StevedoreCheckOptions with the code and text of the phase that uses them.</summary>
[TestClass]
public sealed class OptionValuesTests
{
    private static string? Error(Action<CheckPublishOptions> set) => PublishOptionsTests.Error(t =>
    {
        t.Repository = "app";
        t.Tags = ["latest"];
        set(t);
    });

    [TestMethod]
    public void ADefaultProjectPasses() => Assert.IsNull(Error(_ => { }));

    [TestMethod]
    public void EveryValueTheLaterPhasesTakePasses() => Assert.IsNull(Error(t =>
    {
        t.Platforms = "linux/amd64;linux/arm64";
        t.Registry = "127.0.0.1:5000/shop";
        t.BaseImageRegistry = "127.0.0.1:5000";
        t.UserBaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0";
        t.Tags = ["1.2.3", "latest"];
        t.Ports = [new TaskItem("8080"), new TaskItem("53", new Dictionary<string, string> { ["Type"] = "udp" })];
        t.EnvironmentVariables = [new TaskItem("ASPNETCORE_URLS")];
        t.DefaultArgs = ["--verbose"];
        t.OsPackages = [new TaskItem("curl")];
        t.OsPackageManager = "apk";
        t.OsPackageInstall = "run";
        t.CacheFrom = ["type=registry,ref=127.0.0.1:5000/shop/api-cache:main"];
        t.CacheTo = ["type=inline"];
        t.CacheRef = "127.0.0.1:5000/shop/api-cache";
        t.PlatformBuilders = "linux/amd64=default+linux/arm64=arm";
    }));

    [TestMethod]
    public void ABadPlatformIsStv1001() => StringAssert.StartsWith(Error(t => t.Platforms = "linux/sparc"), "STV1001: Container platform 'linux/sparc'");

    [TestMethod]
    public void ABadRepositoryIsStv1002() => StringAssert.StartsWith(Error(t => t.Repository = "Shop/API"), "STV1002: Container repository 'Shop/API'");

    [TestMethod]
    public void ABadTagIsStv1003() => StringAssert.StartsWith(Error(t => t.Tags = ["-x"]), "STV1003: Container image tag '-x'");

    [TestMethod]
    public void ABadRegistryIsStv1004() => StringAssert.StartsWith(Error(t => t.Registry = "https://r.example.com"), "STV1004: ");

    [TestMethod]
    public void ARegistryAndAnArchiveIsStv1011() =>
        StringAssert.StartsWith(Error(t => { t.Registry = "127.0.0.1:5000"; t.ArchiveOutputPath = "obj/image.tar"; }), "STV1011: ContainerArchiveOutputPath 'obj/image.tar'");

    [TestMethod]
    public void NativeAotForArmV7IsStv1114() =>
        StringAssert.StartsWith(Error(t => { t.NativeAot = true; t.Platforms = "linux/amd64;linux/arm/v7"; }), "STV1114: PublishAot=true cross-compiles for linux/amd64 and linux/arm64 only, and ContainerPlatforms names 'linux/arm/v7'");

    [TestMethod]
    public void PlatformBuildersWithoutARegistryAreStv1407() =>
        StringAssert.StartsWith(Error(t => t.PlatformBuilders = "linux/amd64=default"), "STV1407: ");

    [TestMethod]
    public void ABadPortIsStv1009() => StringAssert.StartsWith(Error(t => t.Ports = [new TaskItem("70000")]), "STV1009: Container port '70000'");

    [TestMethod]
    public void ABadEnvironmentVariableIsStv1010() =>
        StringAssert.StartsWith(Error(t => t.EnvironmentVariables = [new TaskItem("1BAD")]), "STV1010: Container environment variable name '1BAD'");

    [TestMethod]
    public void AnUnknownInstructionIsStv1033() =>
        StringAssert.StartsWith(Error(t => t.AppCommandInstruction = "Cmd"), "STV1033: ContainerAppCommandInstruction 'Cmd'");

    [TestMethod]
    public void AnEntrypointWithTheAppCommandIsStv1032() =>
        StringAssert.StartsWith(Error(t => { t.Entrypoint = ["/bin/sh"]; t.AppCommandInstruction = "Entrypoint"; }), "STV1032: ");

    [TestMethod]
    public void AnUnknownPackageManagerIsStv1202() =>
        StringAssert.StartsWith(Error(t => { t.OsPackages = [new TaskItem("curl")]; t.OsPackageManager = "yum"; }), "STV1202: ContainerOsPackageManager 'yum'");

    [TestMethod]
    public void UnpackWithApkIsStv1203() =>
        StringAssert.StartsWith(Error(t => { t.OsPackages = [new TaskItem("curl")]; t.OsPackageManager = "apk"; t.OsPackageInstall = "unpack"; }), "STV1203: ");

    [TestMethod]
    public void ABadPackageNameIsStv1204() => StringAssert.StartsWith(Error(t => t.OsPackages = [new TaskItem("curl wget")]), "STV1204: ContainerOsPackage 'curl wget'");

    // The base image's manager is known only once the images are resolved; without packages the options are not used.
    [TestMethod]
    public void PackageOptionsWithoutPackagesPass() => Assert.IsNull(Error(t => t.OsPackageManager = "yum"));

    // The user's own Dockerfile is built as written: the final image's settings are not used.
    [TestMethod]
    public void AnOwnDockerfileSkipsTheFinalImageSettings() =>
        Assert.IsNull(Error(t => { t.Dockerfile = "Dockerfile"; t.Ports = [new TaskItem("70000")]; }));

    [TestMethod]
    public void AnUnknownCacheTypeIsStv3001() => StringAssert.StartsWith(Error(t => t.CacheFrom = ["type=floppy"]), "STV3001: Cache spec 'type=floppy'");

    [TestMethod]
    public void TwoCacheDestinationsAreStv3007() =>
        StringAssert.StartsWith(Error(t => t.CacheTo = ["type=inline", "type=local,dest=/tmp/c"]), "STV3007: ");

    [TestMethod]
    public void ACacheRefWithATagIsStv3010() => StringAssert.StartsWith(Error(t => t.CacheRef = "r.example.com/c:main"), "STV3010: ContainerCacheRef 'r.example.com/c:main'");
}
