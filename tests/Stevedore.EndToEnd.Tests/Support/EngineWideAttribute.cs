namespace Stevedore.EndToEnd.Tests;

/// <summary>
/// A test class that changes what every build on the shared engine sees: it empties the build cache, stops the engine,
/// unregisters the emulator or loads the engine on purpose. Its tests carry the "EngineWide" category, which eng/test.sh
/// runs alone after every other test; put [DoNotParallelize] beside it so MSTest never runs it beside another class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EngineWideAttribute : TestCategoryBaseAttribute
{
    public const string Category = "EngineWide";

    public override IList<string> TestCategories => [Category];
}
