namespace Stevedore.Tasks.Dockerfiles;

/// <summary>A port the image exposes (ContainerPort item).</summary>
internal sealed record ContainerPort(int Number, string Type = "tcp");
