namespace Stevedore.Tasks.Inputs.Go;

/// <summary>A go.work: the workspace's modules (`use`), its own replacements and Go version.</summary>
internal sealed class GoWork
{
    private GoWork(string file, GoVersion? go, GoVersion? toolchain, IReadOnlyList<string> uses, IReadOnlyList<GoReplacement> replacements)
    {
        File = file;
        Go = go;
        Toolchain = toolchain;
        Uses = uses;
        Replacements = replacements;
    }

    public string File { get; }

    public GoVersion? Go { get; }

    public GoVersion? Toolchain { get; }

    /// <summary>The module folders of `use` directives, as written (relative to the go.work folder).</summary>
    public IReadOnlyList<string> Uses { get; }

    public IReadOnlyList<GoReplacement> Replacements { get; }

    public static GoWork Load(string file) => Parse(System.IO.File.ReadAllText(file), file);

    public static GoWork Parse(string text, string file)
    {
        GoVersion? go = null;
        GoVersion? toolchain = null;
        var uses = new List<string>();
        var replacements = new List<GoReplacement>();
        foreach (var d in GoModFileReader.Read(text, file))
        {
            switch (d.Verb)
            {
                case "go":
                    go = d.Arguments is [var version] ? GoVersion.Parse(version, "go", file) : throw GoModule.Syntax(file, d, "go takes one version");
                    break;
                case "toolchain":
                    toolchain = d.Arguments is [var name] ? GoVersion.ParseToolchain(name, file) : throw GoModule.Syntax(file, d, "toolchain takes one name");
                    break;
                case "use":
                    uses.Add(d.Arguments is [var folder] ? folder : throw GoModule.Syntax(file, d, "use takes one folder"));
                    break;
                case "replace":
                    replacements.Add(GoModule.ParseReplacement(d, file));
                    break;
                default:
                    break;
            }
        }

        return new GoWork(file, go, toolchain, uses, replacements);
    }
}
