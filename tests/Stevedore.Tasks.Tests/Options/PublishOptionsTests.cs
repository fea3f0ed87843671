using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Options;

namespace Stevedore.Tasks.Tests.Options;

[TestClass]
public sealed class PublishOptionsTests
{
    /// <summary>The one error CheckPublishOptions gives for an executable project with <paramref name="set"/> applied, or null.</summary>
    internal static string? Error(Action<CheckPublishOptions> set)
    {
        var log = new RecordingBuildEngine();
        var task = new CheckPublishOptions { BuildEngine = log, OutputType = "Exe", ProjectFile = "/repo/src/App/App.csproj" };
        set(task);
        task.Execute();
        return log.Errors.SingleOrDefault() is { } e ? e.Code + ": " + e.Message : null;
    }

    [TestMethod]
    public void SeveralFrameworksWithoutAChoiceIsStv1102() =>
        StringAssert.StartsWith(Error(t => t.TargetFrameworks = "net10.0;net9.0"), "STV1102: The project targets several frameworks ('net10.0;net9.0')");

    [TestMethod]
    public void OneChosenFrameworkIsFine() =>
        Assert.IsNull(Error(t => { t.TargetFrameworks = "net10.0;net9.0"; t.TargetFramework = "net10.0"; }));

    [TestMethod]
    [DataRow("Exe")]
    [DataRow("WinExe")]
    [DataRow("")]
    public void ExecutablesPass(string outputType) => Assert.IsNull(Error(t => t.OutputType = outputType));

    [TestMethod]
    public void ALibraryIsStv1103() => StringAssert.StartsWith(Error(t => t.OutputType = "Library"), "STV1103: The project's OutputType is 'Library'");

    [TestMethod]
    public void EjectWithOwnDockerfileIsStv1101() =>
        StringAssert.StartsWith(Error(t => { t.Eject = true; t.Dockerfile = "Dockerfile"; }), "STV1101: ContainerEject=true writes a Dockerfile, but ContainerDockerfile is set to 'Dockerfile'");

    [TestMethod]
    public void AotFrameworkDependentIsStv1111() =>
        StringAssert.StartsWith(Error(t => { t.NativeAot = true; t.FrameworkDependent = true; }), "STV1111: PublishAot=true makes a self-contained native binary");

    [TestMethod]
    public void AotWithReadyToRunIsStv1112() =>
        StringAssert.StartsWith(Error(t => { t.NativeAot = true; t.ReadyToRun = true; }), "STV1112: PublishAot=true and PublishReadyToRun=true are both set");

    [TestMethod]
    public void TrimmedFrameworkDependentIsStv1113() =>
        StringAssert.StartsWith(Error(t => { t.Trimmed = true; t.FrameworkDependent = true; }), "STV1113: PublishTrimmed=true trims the framework into the app");

    // What a publish reuses from the last one: true or false in any case, or unset.
    [TestMethod]
    [DataRow("InputsCache", "yes", "STV1080: ContainerInputsCache is 'yes'")]
    [DataRow("PreflightCache", "0", "STV1081: ContainerPreflightCache is '0'")]
    [DataRow("CompileCache", "off", "STV1082: ContainerCompileCache is 'off'")]
    public void ReuseSwitchesAreTrueOrFalse(string option, string value, string error)
    {
        StringAssert.StartsWith(Error(t => typeof(CheckPublishOptions).GetProperty(option)!.SetValue(t, value)), error);
        foreach (var fine in new[] { "true", "false", "False", "TRUE", "" })
        {
            Assert.IsNull(Error(t => typeof(CheckPublishOptions).GetProperty(option)!.SetValue(t, fine)), fine);
        }
    }

    // Values only the build uses fail here, before anything is written, with the build's own codes and texts.
    [TestMethod]
    [DataRow("Provenance", "maybe", "STV1105: ContainerProvenance 'maybe' is not one of")]
    [DataRow("Sbom", "yes", "STV1106: ContainerSbom 'yes' is not true or false")]
    [DataRow("ImageFormat", "Tar", "STV1035: ContainerImageFormat 'Tar' is not an image format")]
    [DataRow("CacheLocalMaxSize", "lots", "STV3012: ")]
    public void ValuesTheBuildWouldRefuseFailFirst(string option, string value, string error) =>
        StringAssert.StartsWith(Error(t => typeof(CheckPublishOptions).GetProperty(option)!.SetValue(t, value)), error);

    [TestMethod]
    [DataRow("true", "mode=max", "OCI", "2GB")]
    [DataRow("", "", "docker", "")]
    public void ValuesTheBuildTakesPass(string sbom, string provenance, string format, string size) =>
        Assert.IsNull(Error(t => { t.Sbom = sbom; t.Provenance = provenance; t.ImageFormat = format; t.CacheLocalMaxSize = size; }));

    [TestMethod]
    [DataRow("", "")]
    [DataRow("127.0.0.1:5000", "obj/image.tar")]
    public void PushByDigestWithNowhereToPushIsStv1408(string registry, string archive) =>
        StringAssert.StartsWith(Error(t => { t.PushByDigest = true; t.Registry = registry; t.ArchiveOutputPath = archive; }), "STV1408: ContainerPushByDigest=true pushes");

    [TestMethod]
    public void PushByDigestToARegistryPasses() =>
        Assert.IsNull(Error(t => { t.PushByDigest = true; t.Registry = "127.0.0.1:5000"; }));

    // Every ahead-of-time option alone, and the combinations the SDK publishes, make an image.
    [TestMethod]
    [DataRow(true, false, false, false)]
    [DataRow(true, false, true, false)]
    [DataRow(false, true, false, false)]
    [DataRow(false, true, false, true)]
    [DataRow(false, true, true, false)]
    [DataRow(false, false, true, false)]
    [DataRow(false, false, false, true)]
    public void CompatibleAheadOfTimeOptionsPass(bool aot, bool readyToRun, bool trimmed, bool frameworkDependent) =>
        Assert.IsNull(Error(t => { t.NativeAot = aot; t.ReadyToRun = readyToRun; t.Trimmed = trimmed; t.FrameworkDependent = frameworkDependent; }));
}
