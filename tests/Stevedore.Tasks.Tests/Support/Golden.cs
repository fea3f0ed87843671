namespace Stevedore.Tasks.Tests;

/// <summary>
/// Compares generated text with a file under Golden/ byte for byte. A mismatch fails with a line diff;
/// STEVEDORE_UPDATE_GOLDEN=1 rewrites the source files instead (review the diff in git).
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string name, string actual)
    {
        var source = Path.Combine(Stevedore.Testing.Repo.Root, "tests", "Stevedore.Tasks.Tests", "Golden", name);
        if (Environment.GetEnvironmentVariable("STEVEDORE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(source, actual);
            return;
        }

        var expected = File.Exists(source) ? File.ReadAllText(source) : string.Empty;
        if (expected != actual)
        {
            Assert.Fail($"Golden file {name} differs (rerun with STEVEDORE_UPDATE_GOLDEN=1 to accept):\n{Diff(expected, actual)}");
        }
    }

    private static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var lines = new List<string>();
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var x = i < e.Length ? e[i] : null;
            var y = i < a.Length ? a[i] : null;
            if (x != y)
            {
                lines.Add($"line {i + 1}:\n- {x ?? "<missing>"}\n+ {y ?? "<missing>"}");
            }
        }

        return string.Join('\n', lines);
    }
}
