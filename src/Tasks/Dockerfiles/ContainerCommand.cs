using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// ENTRYPOINT and CMD of the final stage from the .NET SDK's container properties, with the SDK's rules:
/// ContainerAppCommand (default: the app) + ContainerAppCommandArgs go where ContainerAppCommandInstruction says
/// (Entrypoint, DefaultArgs = CMD, None), ContainerDefaultArgs is the CMD, and the older ContainerEntrypoint /
/// ContainerEntrypointArgs still work. Conflicts are STV1030–STV1033 instead of a silently different image.
/// </summary>
internal sealed record ContainerCommand
{
    public const string Entrypoint = "Entrypoint";
    public const string DefaultArgs = "DefaultArgs";
    public const string None = "None";

    public static readonly ContainerCommand Default = new();

    /// <summary>From the properties' ';' lists (items, or a list from the command line; one argument each, spaces kept).</summary>
    public static ContainerCommand FromLists(string[] entrypoint, string[] entrypointArgs, string[] appCommand, string[] appCommandArgs, string[] defaultArgs, string? instruction) => new()
    {
        EntrypointCommand = Words(entrypoint),
        EntrypointArgs = Words(entrypointArgs),
        AppCommand = Words(appCommand),
        AppCommandArgs = Words(appCommandArgs),
        DefaultArguments = Words(defaultArgs),
        Instruction = instruction,
    };

    /// <summary>The conflicts STV1030–STV1033, which do not depend on the app's own command: checked before anything runs.</summary>
    public void Check() => Resolve(["app"]);

    /// <summary>ContainerEntrypoint (the SDK's older name): the whole ENTRYPOINT.</summary>
    public IReadOnlyList<string> EntrypointCommand { get; init; } = [];

    /// <summary>ContainerEntrypointArgs: appended to ContainerEntrypoint.</summary>
    public IReadOnlyList<string> EntrypointArgs { get; init; } = [];

    /// <summary>ContainerAppCommand as the user set it; empty: the app itself.</summary>
    public IReadOnlyList<string> AppCommand { get; init; } = [];

    /// <summary>ContainerAppCommandArgs: arguments that always follow the app command.</summary>
    public IReadOnlyList<string> AppCommandArgs { get; init; } = [];

    /// <summary>ContainerDefaultArgs: the CMD, which `docker run image args…` replaces.</summary>
    public IReadOnlyList<string> DefaultArguments { get; init; } = [];

    /// <summary>ContainerAppCommandInstruction: Entrypoint, DefaultArgs or None; empty: Entrypoint unless ContainerEntrypoint is set.</summary>
    public string? Instruction { get; init; }

    /// <summary>The ENTRYPOINT and CMD words (empty: the line is left out, the base image's stays).</summary>
    public (IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd) Resolve(IReadOnlyList<string> app)
    {
        var instruction = NormalizeInstruction(Instruction);
        var entrypoint = EntrypointCommand;
        var entrypointArgs = EntrypointArgs;
        IReadOnlyList<string> cmd = DefaultArguments;
        // The SDK adds its default app command unless the instruction is None.
        var appCommand = AppCommand.Count > 0 ? AppCommand : instruction == None ? [] : app;
        var appCommandArgs = AppCommandArgs;
        var setsEntrypoint = entrypoint.Count > 0 || entrypointArgs.Count > 0;
        if (instruction is null)
        {
            if (setsEntrypoint && cmd.Count == 0 && appCommandArgs.Count == 0 && entrypoint.Count == 0)
            {
                // The SDK's backwards compatibility: ContainerEntrypointArgs alone are the default arguments of the app.
                entrypoint = appCommand;
                cmd = entrypointArgs;
                entrypointArgs = [];
                appCommand = [];
                instruction = None;
            }
            else
            {
                instruction = setsEntrypoint ? DefaultArgs : Entrypoint;
            }
        }

        if (entrypointArgs.Count > 0 && entrypoint.Count == 0)
        {
            throw new DiagnosticException("EntrypointArgsWithoutEntrypoint", string.Join(";", entrypointArgs));
        }

        switch (instruction)
        {
            case None:
                if (AppCommand.Count > 0 || appCommandArgs.Count > 0)
                {
                    throw new DiagnosticException("AppCommandNotUsed", string.Join(";", AppCommand.Concat(appCommandArgs)));
                }

                break;
            case DefaultArgs:
                cmd = [.. appCommand, .. appCommandArgs, .. cmd];
                break;
            default:
                if (setsEntrypoint)
                {
                    throw new DiagnosticException("EntrypointConflictsWithAppCommand", string.Join(";", entrypoint.Concat(entrypointArgs)));
                }

                entrypoint = appCommand;
                entrypointArgs = appCommandArgs;
                break;
        }

        return ([.. entrypoint, .. entrypointArgs], cmd);
    }

    /// <summary>ENTRYPOINT and CMD lines (each only when it has words).</summary>
    public void AddTo(DockerfileStage final, IReadOnlyList<string> app, string? comment = null)
    {
        var (entrypoint, cmd) = Resolve(app);
        if (entrypoint.Count > 0)
        {
            final.Add("ENTRYPOINT", DockerfileWriter.JsonArray([.. entrypoint]), comment);
        }

        if (cmd.Count > 0)
        {
            final.Add("CMD", DockerfileWriter.JsonArray([.. cmd]));
        }
    }

    private static IReadOnlyList<string> Words(string[] values) =>
        values.SelectMany(v => v.Split(';', StringSplitOptions.RemoveEmptyEntries)).Where(v => v.Trim().Length > 0).ToList();

    private static string? NormalizeInstruction(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return new[] { Entrypoint, DefaultArgs, None }.FirstOrDefault(k => k.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new DiagnosticException("UnknownAppCommandInstruction", value);
    }
}
