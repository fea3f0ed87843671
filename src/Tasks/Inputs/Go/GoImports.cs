using System.Text.RegularExpressions;

namespace Stevedore.Tasks.Inputs.Go;

/// <summary>The import paths of a module's .go files (not vendor/, testdata/ or nested modules), read without a Go toolchain.</summary>
internal static partial class GoImports
{
    public static IEnumerable<string> InModule(string moduleFolder) =>
        GoFiles(moduleFolder, moduleFolder).SelectMany(f => Parse(File.ReadAllText(f))).Distinct(StringComparer.Ordinal);

    /// <summary>What `go build` may compile for the module: the imports of its .go files other than tests.</summary>
    public static IEnumerable<string> OfBuild(string moduleFolder) =>
        GoFiles(moduleFolder, moduleFolder).Where(f => !f.EndsWith("_test.go", StringComparison.Ordinal))
            .SelectMany(f => Parse(File.ReadAllText(f))).Distinct(StringComparer.Ordinal);

    /// <summary>The paths a Go source file imports: single imports and import blocks, before the first declaration.</summary>
    public static IEnumerable<string> Parse(string source)
    {
        foreach (Match block in ImportBlock().Matches(source))
        {
            foreach (Match path in QuotedPath().Matches(block.Groups[1].Value))
            {
                yield return path.Groups[1].Value;
            }
        }

        foreach (Match single in SingleImport().Matches(source))
        {
            yield return single.Groups[1].Value;
        }
    }

    private static IEnumerable<string> GoFiles(string folder, string moduleFolder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.go"))
        {
            yield return file;
        }

        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            var name = Path.GetFileName(sub);
            if (name is "vendor" or "testdata" || name.StartsWith('.') || name.StartsWith('_') || File.Exists(Path.Combine(sub, "go.mod")))
            {
                continue;
            }

            foreach (var file in GoFiles(sub, moduleFolder))
            {
                yield return file;
            }
        }
    }

    [GeneratedRegex(@"^\s*import\s*\(([^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex ImportBlock();

    [GeneratedRegex(@"^\s*import\s+(?:[\w.]+\s+)?""([^""]+)""", RegexOptions.Multiline)]
    private static partial Regex SingleImport();

    [GeneratedRegex(@"""([^""]+)""")]
    private static partial Regex QuotedPath();
}
