using Greetings;
using Microsoft.VisualStudio.TestTools.UnitTesting;

[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]

namespace Api.Tests;

[TestClass]
public sealed class GreetingTests
{
    [TestMethod]
    public void TheApiGreetsInWords()
    {
        Assert.AreEqual("Dotnet api ships two platforms", Greeter.Greet("dotnet_api", 2));
    }

    [TestMethod]
    public void OnePlatformIsSingular()
    {
        Assert.AreEqual("Dotnet api ships one platform", Greeter.Greet("dotnet_api", 1));
    }
}
