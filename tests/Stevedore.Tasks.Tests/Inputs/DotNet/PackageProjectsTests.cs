using Stevedore.Tasks.Inputs.DotNet;

namespace Stevedore.Tasks.Tests.Inputs.DotNet;

/// <summary>Projects that ship in NuGet packages (Nerdbank.GitVersioning's PrivateP2PCaching.proj) are no inputs of the closure.</summary>
[TestClass]
public sealed class PackageProjectsTests
{
    [TestMethod]
    public void AProjectInsideAPackagesFolderShipsInItsPackage()
    {
        var folders = ProjectGraphReader.PackageFolders(["/home/u/.nuget/packages/", "/ci/nuget", null, ""]);

        Assert.IsTrue(ProjectGraphReader.ShipsInAPackage("/home/u/.nuget/packages/nerdbank.gitversioning/3.10.94/build/PrivateP2PCaching.proj", folders));
        Assert.IsTrue(ProjectGraphReader.ShipsInAPackage("/ci/nuget/x/1.0.0/build/Inner.proj", folders));
        Assert.IsFalse(ProjectGraphReader.ShipsInAPackage("/ci/nuget-other/App.csproj", folders), "a sibling folder with the same prefix is no package folder");
        Assert.IsFalse(ProjectGraphReader.ShipsInAPackage("/repo/src/App/App.csproj", folders));
    }
}
