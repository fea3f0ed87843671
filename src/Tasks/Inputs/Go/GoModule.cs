using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Inputs.Go;

/// <summary>A `require` line: a module the build needs; <paramref name="Indirect"/> when marked `// indirect`.</summary>
internal sealed record GoRequirement(string Path, string Version, bool Indirect);

/// <summary>A `replace old [v] => new [v]` line. A local replacement is a folder, which must travel in the build context.</summary>
internal sealed record GoReplacement(string OldPath, string? OldVersion, string NewPath, string? NewVersion)
{
    /// <summary>Go's own rule: a replacement is a folder when it starts with ./, ../ or is rooted.</summary>
    public bool IsLocal => IsLocalPath(NewPath);

    public override string ToString() =>
        OldPath + (OldVersion is null ? string.Empty : " " + OldVersion) + " => " + NewPath + (NewVersion is null ? string.Empty : " " + NewVersion);

    internal static bool IsLocalPath(string path) =>
        path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal)
        || path is "." or ".." || path.StartsWith('/') || path.StartsWith(".\\", StringComparison.Ordinal)
        || path.StartsWith("..\\", StringComparison.Ordinal) || (path.Length > 2 && path[1] == ':' && path[2] is '\\' or '/');
}

/// <summary>What a go.mod declares that the container build depends on.</summary>
internal sealed class GoModule
{
    private GoModule(string file, string modulePath, GoVersion? go, GoVersion? toolchain, IReadOnlyList<GoRequirement> requirements, IReadOnlyList<GoReplacement> replacements)
    {
        File = file;
        ModulePath = modulePath;
        Go = go;
        Toolchain = toolchain;
        Requirements = requirements;
        Replacements = replacements;
    }

    /// <summary>The go.mod this was read from (for messages).</summary>
    public string File { get; }

    public string ModulePath { get; }

    /// <summary>The `go` directive; null when absent (Go then assumes 1.16).</summary>
    public GoVersion? Go { get; }

    /// <summary>The `toolchain` directive; null when absent or "default".</summary>
    public GoVersion? Toolchain { get; }

    public IReadOnlyList<GoRequirement> Requirements { get; }

    public IReadOnlyList<GoReplacement> Replacements { get; }

    public static GoModule Load(string file) => Parse(System.IO.File.ReadAllText(file), file);

    public static GoModule Parse(string text, string file)
    {
        string? module = null;
        GoVersion? go = null;
        GoVersion? toolchain = null;
        var requirements = new List<GoRequirement>();
        var replacements = new List<GoReplacement>();
        foreach (var d in GoModFileReader.Read(text, file))
        {
            switch (d.Verb)
            {
                case "module":
                    module = d.Arguments is [var path] ? path : throw Syntax(file, d, "module takes one path");
                    break;
                case "go":
                    go = d.Arguments is [var version] ? GoVersion.Parse(version, "go", file) : throw Syntax(file, d, "go takes one version");
                    break;
                case "toolchain":
                    toolchain = d.Arguments is [var name] ? GoVersion.ParseToolchain(name, file) : throw Syntax(file, d, "toolchain takes one name");
                    break;
                case "require":
                    requirements.Add(d.Arguments is [var p, var v]
                        ? new GoRequirement(p, v, IsIndirect(d.Comment))
                        : throw Syntax(file, d, "require takes a module path and a version"));
                    break;
                case "replace":
                    replacements.Add(ParseReplacement(d, file));
                    break;
                default:
                    // exclude, retract, godebug, tool, ignore: nothing the container build has to copy or choose.
                    break;
            }
        }

        return new GoModule(file, module ?? throw new DiagnosticException("GoModSyntax", file, 1, "there is no module directive"), go, toolchain, requirements, replacements);
    }

    internal static GoReplacement ParseReplacement(GoDirective d, string file)
    {
        var arrow = d.Arguments.ToList().IndexOf("=>");
        var left = arrow < 0 ? [] : d.Arguments.Take(arrow).ToArray();
        var right = arrow < 0 ? [] : d.Arguments.Skip(arrow + 1).ToArray();
        if (left.Length is < 1 or > 2 || right.Length is < 1 or > 2)
        {
            throw Syntax(file, d, "replace takes 'old [version] => new [version]'");
        }

        return new GoReplacement(left[0], left.Length == 2 ? left[1] : null, right[0], right.Length == 2 ? right[1] : null);
    }

    internal static DiagnosticException Syntax(string file, GoDirective d, string problem) =>
        new("GoModSyntax", file, d.Line, problem);

    // `// indirect` may share the comment with other words, e.g. "indirect; needed by x".
    private static bool IsIndirect(string comment) =>
        comment == "indirect" || comment.StartsWith("indirect;", StringComparison.Ordinal);
}
