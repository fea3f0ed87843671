namespace Stevedore.Sdk.Tests.BadInput;

/// <summary>
/// One wrong thing a user can do, and the one coded error it must give. <paramref name="Offending"/> is the value
/// the message must name. Properties are -p: arguments; <paramref name="Project"/> adds XML to the project file;
/// <paramref name="PushedRepository"/> is a repository of the local registry whose tag 1.0.0 must not move.
/// </summary>
public sealed record BadInput(
    string Name,
    string Code,
    string Offending,
    string[] Properties,
    string Project = "",
    string Sdk = "Microsoft.NET.Sdk.Web",
    Dictionary<string, string?>? Environment = null,
    (string Path, string Content)[]? Files = null,
    string? PushedRepository = null)
{
    public override string ToString() => Name;
}
