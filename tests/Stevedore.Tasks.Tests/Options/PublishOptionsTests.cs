using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Options;

namespace Stevedore.Tasks.Tests.Options;

[TestClass]
public sealed class PublishOptionsTests
{
    private static string? Error(Action<CheckPublishOptions> set)
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
}
