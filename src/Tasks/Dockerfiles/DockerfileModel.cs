namespace Stevedore.Tasks.Dockerfiles;

/// <summary>One Dockerfile instruction; <paramref name="Comment"/> explains to the reader why it is there.</summary>
internal sealed record DockerfileInstruction(string Keyword, string Arguments, string? Comment = null);

/// <summary>One build stage: FROM [--platform=…] image [AS name] and its instructions.</summary>
internal sealed class DockerfileStage(string image, string? name = null, string? platform = null)
{
    public string Image { get; } = image;

    public string? Name { get; } = name;

    public string? Platform { get; } = platform;

    public List<DockerfileInstruction> Instructions { get; } = [];

    public DockerfileStage Add(string keyword, string arguments, string? comment = null)
    {
        Instructions.Add(new DockerfileInstruction(keyword, arguments, comment));
        return this;
    }
}

/// <summary>A small Dockerfile model: enough for the files Stevedore generates, written by <see cref="DockerfileWriter"/>.</summary>
internal sealed class DockerfileModel
{
    /// <summary>The `# syntax=` parser directive, or null for the engine's built-in frontend (no image pull).</summary>
    public string? Syntax { get; init; }

    public List<DockerfileStage> Stages { get; } = [];
}
