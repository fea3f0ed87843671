using Stevedore.Testing;

namespace Stevedore.Templates.Tests.CiRecipes;

/// <summary>
/// actionlint on every GitHub workflow the templates write, for each template and each combination of the options that
/// change it, and on the workflows of docs/ci/ that docs/ci.md shows.
/// </summary>
[TestClass]
public sealed class WorkflowLintTests
{
    // The options that reach the workflow (registry, with capitals: the workflow lower-cases it) and those beside it.
    private static readonly string[][] OptionSets =
    [
        [],
        ["--registry", "ghcr.io/Acme-Org"],
        ["--feed", "packages"],
        ["--registry", "registry.example.com/Team", "--feed", "packages", "--platforms", "linux/arm64"],
    ];

    public static IEnumerable<object[]> Templates =>
    [
        ["stevedore-webapi", "Shop.Api"],
        ["stevedore-worker", "Shop.Jobs"],
        ["stevedore-go", "ShopPinger"],
    ];

    [TestMethod]
    [DynamicData(nameof(Templates))]
    public void EveryRenderedTemplateWorkflowPassesActionlint(string shortName, string name)
    {
        foreach (var options in OptionSets)
        {
            var project = new TemplateProject(shortName, name, options);
            var workflow = Path.Combine(project.Folder, ".github", "workflows", "container.yml");

            AssertLintClean(workflow, $"{shortName} {string.Join(' ', options)}");
        }
    }

    [TestMethod]
    public void EveryDocsWorkflowPassesActionlint()
    {
        var workflows = Directory.GetFiles(CiTools.RecipesFolder, "github-*.yml");
        Assert.IsGreaterThanOrEqualTo(3, workflows.Length, "docs/ci/ holds the GitHub recipes");

        foreach (var workflow in workflows)
        {
            AssertLintClean(workflow, Path.GetFileName(workflow));
        }
    }

    [TestMethod]
    public void ActionlintFindsWhatItShould()
    {
        // The check can fail: an untrusted input in a script and a step output that does not exist.
        var folder = Repo.NewTempFolder("actionlint");
        var workflow = Path.Combine(folder, "bad.yml");
        File.WriteAllText(workflow, """
            on: pull_request
            jobs:
              a:
                runs-on: ubuntu-24.04
                steps:
                  - run: echo "${{ github.event.pull_request.title }}"
                  - run: echo "${{ steps.nowhere.outputs.tags }}"
            """);

        var result = Lint(workflow);

        Assert.AreEqual(1, result.ExitCode, result.Output);
        StringAssert.Contains(result.Output, "potentially untrusted");
        StringAssert.Contains(result.Output, "property \"nowhere\" is not defined");
        Assert.DoesNotContain("runner-label", result.Output, "ubuntu-24.04 is a GitHub-hosted label");
    }

    private static void AssertLintClean(string workflow, string what)
    {
        var result = Lint(workflow);
        Assert.AreEqual(0, result.ExitCode, $"actionlint on {what}:\n{result.Output}\n{File.ReadAllText(workflow)}");
    }

    private static CommandResult Lint(string workflow) =>
        CommandRunner.Run(CiTools.ActionLint, [workflow], Path.GetDirectoryName(workflow), timeout: TimeSpan.FromMinutes(2));
}
