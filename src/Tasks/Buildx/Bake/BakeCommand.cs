namespace Stevedore.Tasks.Buildx.Bake;

/// <summary>The exact `docker buildx bake` argument list for a solution. Pure: the task runs it, tests assert it.</summary>
internal sealed record BakeCommand
{
    /// <summary>The bake definition, then the network overlay when there is one.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    public string? Builder { get; init; }

    public string? MetadataFile { get; init; }

    public string Progress { get; init; } = "rawjson";

    public IReadOnlyList<string> Arguments()
    {
        var args = new List<string> { "buildx", "bake" };
        foreach (var file in Files)
        {
            args.Add("--file");
            args.Add(file);
        }

        if (!string.IsNullOrEmpty(Builder))
        {
            args.Add("--builder");
            args.Add(Builder);
        }

        args.Add("--progress=" + Progress);
        if (!string.IsNullOrEmpty(MetadataFile))
        {
            args.Add("--metadata-file");
            args.Add(MetadataFile);
        }

        args.Add("default");
        return args;
    }

    public string ToCommandLine() => string.Join(' ', Arguments().Select(BuildxCommand.Quote));
}
