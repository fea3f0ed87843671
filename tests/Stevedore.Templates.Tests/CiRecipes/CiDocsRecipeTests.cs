using System.Text.RegularExpressions;
using Stevedore.Testing;

namespace Stevedore.Templates.Tests.CiRecipes;

/// <summary>
/// docs/ci.md shows the tested recipe files, not copies of them: each file of docs/ci/ appears once, as the fenced block
/// after its `&lt;!-- include: ci/NAME --&gt;` line, byte for byte.
/// </summary>
[TestClass]
public sealed partial class CiDocsRecipeTests
{
    [TestMethod]
    public void EveryRecipeFileIsShownByteForByte()
    {
        var doc = File.ReadAllText(Repo.Path("docs", "ci.md"));
        var included = Includes().Matches(doc).ToDictionary(m => m.Groups["file"].Value, m => m.Groups["body"].Value);

        foreach (var file in Directory.GetFiles(CiTools.RecipesFolder))
        {
            var name = "ci/" + Path.GetFileName(file);
            Assert.IsTrue(included.TryGetValue(name, out var body), $"docs/ci.md does not include {name}: add `<!-- include: {name} -->` and its block");
            Assert.AreEqual(File.ReadAllText(file), body, $"docs/ci.md's block for {name} differs from the file: copy the file into the block");
        }

        foreach (var name in included.Keys)
        {
            Assert.IsTrue(File.Exists(Repo.Path("docs", name)), $"docs/ci.md includes {name}, which does not exist");
        }
    }

    [TestMethod]
    public void NoOtherYamlBlockStandsInForARecipe()
    {
        // A workflow or pipeline written into the page by hand would be untested.
        var doc = File.ReadAllText(Repo.Path("docs", "ci.md"));
        var blocks = Regex.Matches(doc, "```yaml\n").Count;

        Assert.AreEqual(Includes().Matches(doc).Count, blocks, "every yaml block of docs/ci.md is an included recipe file");
    }

    [GeneratedRegex("<!-- include: (?<file>ci/[^ ]+) -->\n```yaml\n(?<body>.*?)```\n", RegexOptions.Singleline)]
    private static partial Regex Includes();
}
