using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Inputs.Go;

/// <summary>
/// Finds the package `go build` compiles into the app: `.` when the module root is `package main`, else the one
/// `./cmd/&lt;name&gt;` folder that is; none or several is an error naming what was found (set GoMainPackage).
/// </summary>
internal static class GoMainPackage
{
    public static string Find(string moduleDir)
    {
        if (IsMainPackage(moduleDir))
        {
            return ".";
        }

        var cmd = Path.Combine(moduleDir, "cmd");
        var candidates = Directory.Exists(cmd)
            ? Directory.EnumerateDirectories(cmd).Where(IsMainPackage).Select(d => "./cmd/" + Path.GetFileName(d)).Order(StringComparer.Ordinal).ToList()
            : [];
        return candidates switch
        {
            [var only] => only,
            [] => throw new DiagnosticException("GoMainPackageNotFound", moduleDir),
            _ => throw new DiagnosticException("GoMainPackageAmbiguous", string.Join(", ", candidates), moduleDir),
        };
    }

    /// <summary>True when a buildable, non-test .go file of the folder declares `package main`.</summary>
    internal static bool IsMainPackage(string folder) =>
        Directory.EnumerateFiles(folder, "*.go")
            .Where(f => !f.EndsWith("_test.go", StringComparison.Ordinal))
            .Any(f => PackageClause(File.ReadLines(f)) == "main");

    /// <summary>The package name, or null for a file excluded by `//go:build ignore` (generators are often package main).</summary>
    internal static string? PackageClause(IEnumerable<string> lines)
    {
        var inBlockComment = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (inBlockComment)
            {
                var end = line.IndexOf("*/", StringComparison.Ordinal);
                if (end < 0)
                {
                    continue;
                }

                inBlockComment = false;
                line = line[(end + 2)..].Trim();
            }

            if (line.StartsWith("//go:build", StringComparison.Ordinal) && line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).SequenceEqual(["ignore"]))
            {
                return null;
            }

            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("/*", StringComparison.Ordinal))
            {
                inBlockComment = !line.Contains("*/", StringComparison.Ordinal);
                continue;
            }

            return line.StartsWith("package ", StringComparison.Ordinal) ? line["package ".Length..].Split([' ', '\t', '/'])[0] : null;
        }

        return null;
    }
}
