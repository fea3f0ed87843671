using Stevedore.Tasks.Diagnostics;
using Stevedore.Tasks.Dockerfiles;
using Stevedore.Tasks.Engine;

namespace Stevedore.Tasks.Tests;

/// <summary>ContainerOsPackage: the package manager read from the base image, the install mode, and the stages it adds.</summary>
[TestClass]
public sealed class OsPackageTests
{
    private static readonly string[] Both = ["linux/amd64", "linux/arm64"];

    [TestMethod]
    [DataRow("mcr.microsoft.com/dotnet/aspnet:10.0", "Apt")]
    [DataRow("mcr.microsoft.com/dotnet/runtime:10.0-noble", "Apt")]
    [DataRow("mcr.microsoft.com/dotnet/aspnet:10.0-alpine", "Apk")]
    [DataRow("mcr.microsoft.com/dotnet/runtime-deps:10.0-azurelinux3.0", "Tdnf")]
    [DataRow("registry.example.com:5000/alpine-mirror/debian:12", "Apt")]
    public void ThePackageManagerComesFromTheBaseImagesName(string image, string expected) =>
        Assert.AreEqual(expected, OsPackageManagers.For(image, null).ToString());

    [TestMethod]
    [DataRow("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled")]
    [DataRow("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled-extra")]
    [DataRow("gcr.io/distroless/static:nonroot")]
    [DataRow("127.0.0.1:5000/distroless/static:nonroot@sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public void ChiseledAndDistrolessBasesHaveNoPackageManager(string image)
    {
        var error = Assert.ThrowsExactly<DiagnosticException>(() => OsPackageManagers.For(image, null));
        Assert.AreEqual("NoOsPackageManager", error.ResourceName);
        StringAssert.StartsWith(Strings.Get(error.ResourceName), "STV1201:");
    }

    [TestMethod]
    public void AnOverrideWinsAndAnUnknownOneIsStv1202()
    {
        Assert.AreEqual(OsPackageManager.Apk, OsPackageManagers.For("registry.example.com/own/base:1", "APK"));
        Assert.AreEqual("InvalidOsPackageManager", Assert.ThrowsExactly<DiagnosticException>(() => OsPackageManagers.For("own/base:1", "yum")).ResourceName);
    }

    [TestMethod]
    public void AptUnpacksUnlessAPackagesMaintainerScriptsMatter()
    {
        Assert.AreEqual(OsPackageInstallMode.Unpack, OsPackageManagers.Mode(OsPackageManager.Apt, null, ["curl", "tzdata"]).Mode);
        var (mode, reason) = OsPackageManagers.Mode(OsPackageManager.Apt, null, ["curl", "ca-certificates"]);
        Assert.AreEqual(OsPackageInstallMode.Run, mode);
        StringAssert.Contains(reason, "ca-certificates");
        Assert.AreEqual(OsPackageInstallMode.Run, OsPackageManagers.Mode(OsPackageManager.Apk, null, ["curl"]).Mode);
        Assert.AreEqual(OsPackageInstallMode.Run, OsPackageManagers.Mode(OsPackageManager.Apt, "run", ["curl"]).Mode);
        Assert.AreEqual("InvalidOsPackageInstall", Assert.ThrowsExactly<DiagnosticException>(() => OsPackageManagers.Mode(OsPackageManager.Tdnf, "unpack", ["curl"])).ResourceName);
        Assert.AreEqual("InvalidOsPackageInstall", Assert.ThrowsExactly<DiagnosticException>(() => OsPackageManagers.Mode(OsPackageManager.Apt, "emulate", ["curl"])).ResourceName);
    }

    [TestMethod]
    [DataRow("curl")]
    [DataRow("libstdc++6")]
    [DataRow("tzdata=2025b-0+deb12u1")]
    public void PackageNamesPass(string name) => Assert.AreEqual(name, OsPackageManagers.ValidateName(name));

    [TestMethod]
    [DataRow("curl; rm -rf /")]
    [DataRow("Curl")]
    [DataRow("$(id)")]
    public void AnythingElseIsStv1204(string name) =>
        Assert.AreEqual("InvalidOsPackage", Assert.ThrowsExactly<DiagnosticException>(() => OsPackageManagers.ValidateName(name)).ResourceName);

    [TestMethod]
    public void UnpackAddsABuildPlatformStageAndOneCopyAndRunsNothingOnATargetPlatform()
    {
        var dockerfile = Generate(OsPackageInstallMode.Unpack, OsPackageManager.Apt);
        Golden.AssertMatches("os-packages-unpack.Dockerfile", dockerfile);
        Assert.AreEqual(1, Count(dockerfile, "--no-install-recommends curl tzdata"), "one install of the packages");
        Assert.IsEmpty(StepPlatforms.Find(dockerfile, Both), "no emulator needed");
        var final = FinalStage(dockerfile);
        StringAssert.StartsWith(final.Split('\n')[2], "# The OS packages");
        StringAssert.Contains(final, "COPY --from=os-packages /stevedore/root/ /\n");
        StringAssert.EndsWith(final, "USER 1654\nENTRYPOINT [\"./Api\"]\n", "the image ends as the app user");
    }

    [TestMethod]
    public void RunInstallsAsRootInTheFinalStageLeavesNoListsAndEndsAsTheAppUser()
    {
        var dockerfile = Generate(OsPackageInstallMode.Run, OsPackageManager.Apt);
        Golden.AssertMatches("os-packages-run.Dockerfile", dockerfile);
        var final = FinalStage(dockerfile);
        Assert.AreEqual(1, Count(final, "--no-install-recommends curl tzdata"));
        StringAssert.Contains(final, "USER root\nRUN apt-get -o Acquire::Languages=none update");
        StringAssert.Contains(final, "rm -rf /var/lib/apt/lists/*\n");
        StringAssert.EndsWith(final, "USER 1654\nENTRYPOINT [\"./Api\"]\n");
        CollectionAssert.AreEqual(Both, StepPlatforms.Find(dockerfile, Both).ToArray(), "an emulated RUN on each target platform");
    }

    [TestMethod]
    [DataRow("Apk", "RUN apk add --no-cache curl tzdata\n")]
    [DataRow("Tdnf", "RUN tdnf install -y curl tzdata \\\n && tdnf clean all\n")]
    public void ApkAndTdnfInstallWithoutACache(string manager, string expected) =>
        StringAssert.Contains(FinalStage(Generate(OsPackageInstallMode.Run, Enum.Parse<OsPackageManager>(manager))), "USER root\n" + expected);

    [TestMethod]
    public void NoPackagesChangeNothing()
    {
        var model = Model();
        var before = DockerfileWriter.Write(model, GeneratedFileHeader.Generated);
        OsPackageStages.AddTo(model, new OsPackagePlan([], OsPackageManager.Apt, OsPackageInstallMode.Unpack, "none"));
        Assert.AreEqual(before, DockerfileWriter.Write(model, GeneratedFileHeader.Generated));
    }

    private static string Generate(OsPackageInstallMode mode, OsPackageManager manager)
    {
        var model = Model();
        OsPackageStages.AddTo(model, new OsPackagePlan(["curl", "tzdata"], manager, mode, "test"));
        return DockerfileWriter.Write(model, GeneratedFileHeader.Generated);
    }

    // The shape of every generated Dockerfile: a build stage on the build platform, then the final stage.
    private static DockerfileModel Model()
    {
        var model = new DockerfileModel();
        model.Stages.Add(new DockerfileStage("mcr.microsoft.com/dotnet/sdk:10.0", "build", "$BUILDPLATFORM")
            .Add("RUN", "--network=none dotnet publish Api.csproj -o /app/app"));
        model.Stages.Add(new DockerfileStage("mcr.microsoft.com/dotnet/aspnet:10.0", "final")
            .Add("WORKDIR", "/app")
            .Add("COPY", "--from=build /app/app/ .")
            .Add("USER", "1654")
            .Add("ENTRYPOINT", "[\"./Api\"]"));
        return model;
    }

    private static string FinalStage(string dockerfile) => dockerfile[dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];

    private static int Count(string text, string part) => text.Split(part).Length - 1;
}
