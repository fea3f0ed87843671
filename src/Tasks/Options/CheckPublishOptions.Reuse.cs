using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Options;

/// <summary>
/// The switches of what a publish reuses from the last one (docs/performance.md): each true (the default, also when
/// unset) or false, anything else refused with its own code.
/// </summary>
public sealed partial class CheckPublishOptions
{
    /// <summary>ContainerInputsCache: the project graph kept under obj/…/stevedore (STV1080).</summary>
    public string? InputsCache { get; set; }

    /// <summary>ContainerPreflightCache: the builder's kept answer to the preflight (STV1081).</summary>
    public string? PreflightCache { get; set; }

    /// <summary>ContainerCompileCache: the compile step's obj/ folders kept on the builder (STV1082).</summary>
    public string? CompileCache { get; set; }

    private void CheckReuse()
    {
        OnOrOff(InputsCache, "InputsCacheNotBoolean");
        OnOrOff(PreflightCache, "PreflightCacheNotBoolean");
        OnOrOff(CompileCache, "CompileCacheNotBoolean");
    }

    private static void OnOrOff(string? value, string error)
    {
        // As MSBuild compares them in the targets' conditions: without regard to case.
        if (!string.IsNullOrEmpty(value) && !value.Equals("true", StringComparison.OrdinalIgnoreCase) && !value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            throw new DiagnosticException(error, value);
        }
    }
}
