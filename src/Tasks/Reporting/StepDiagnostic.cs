using System.Globalization;
using System.Text.RegularExpressions;

namespace Stevedore.Tasks.Reporting;

/// <summary>
/// A warning or error a build step printed: the compiler, NuGet, the .NET SDK, ILLink/ILC (MSBuild's canonical
/// `file(line,col): [subcategory] warning|error CODE: text [project]`), a C compiler under cgo (`file:line:col: warning: text`)
/// or the Go compiler (`./main.go:10:2: text`, an error). The host never compiles the project, so this is how such a
/// diagnostic reaches the user of `dotnet publish`, whichever logger prints the build.
/// </summary>
internal sealed partial record StepDiagnostic(bool IsError, string? Subcategory, string? Code, string? File, int Line, int Column, string Message)
{
    /// <summary>The diagnostic <paramref name="line"/> of step output states, or null when it states none.</summary>
    public static StepDiagnostic? Parse(string line)
    {
        var text = line.Trim();
        if (Canonical().Match(text) is { Success: true } m)
        {
            var origin = m.Groups["origin"].Value.Trim();
            return new StepDiagnostic(
                m.Groups["severity"].Value == "error",
                m.Groups["subcategory"].Success ? m.Groups["subcategory"].Value.Trim() : null,
                m.Groups["code"].Value,
                origin.Length > 0 ? origin : null,
                Number(m.Groups["line"]),
                Number(m.Groups["column"]),
                m.Groups["text"].Value.Trim());
        }

        if (Gcc().Match(text) is { Success: true } g)
        {
            return new StepDiagnostic(g.Groups["severity"].Value == "error", null, null, g.Groups["file"].Value, Number(g.Groups["line"]), Number(g.Groups["column"]), g.Groups["text"].Value.Trim());
        }

        if (Go().Match(text) is { Success: true } go)
        {
            return new StepDiagnostic(true, null, null, go.Groups["file"].Value, Number(go.Groups["line"]), Number(go.Groups["column"]), go.Groups["text"].Value.Trim());
        }

        return null;
    }

    /// <summary>
    /// This diagnostic with its file on the host: the generated Dockerfiles copy the build context to /src, so
    /// `/src/x` is `x` under one of <paramref name="contexts"/> when that file exists there; otherwise unchanged.
    /// </summary>
    public StepDiagnostic OnHost(IEnumerable<string> contexts)
    {
        const string ContainerRoot = "/src/";
        if (File is not { } file || !file.StartsWith(ContainerRoot, StringComparison.Ordinal))
        {
            return this;
        }

        var relative = file[ContainerRoot.Length..];
        foreach (var context in contexts.Where(c => !string.IsNullOrWhiteSpace(c)))
        {
            var candidate = Path.GetFullPath(Path.Combine(context, relative));
            if (System.IO.File.Exists(candidate))
            {
                return this with { File = candidate };
            }
        }

        return this;
    }

    private static int Number(Group group) =>
        group.Success && int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    // MSBuild's canonical format (what Exec recognises), with the " [project]" suffix the console logger adds left off.
    [GeneratedRegex(@"^(?:(?<origin>[^\s(:][^(]*?)(?:\((?<line>\d+)(?:,(?<column>\d+))?(?:[,-]\d+)*\))?\s*:\s*)?(?:(?<subcategory>[A-Za-z][A-Za-z ]*?)\s+)?(?<severity>warning|error)\s+(?<code>[A-Za-z]+\d+)\s*:\s*(?<text>.*?)(?:\s+\[[^\]]*(?:proj|::[^\]]*)\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Canonical();

    [GeneratedRegex(@"^(?<file>[^\s:][^:]*):(?<line>\d+):(?:(?<column>\d+):)?\s*(?<severity>warning|error):\s*(?<text>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Gcc();

    [GeneratedRegex(@"^(?<file>[^\s:][^:]*\.go):(?<line>\d+):(?:(?<column>\d+):)?\s+(?<text>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Go();
}
