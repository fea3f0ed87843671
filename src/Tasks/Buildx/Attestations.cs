using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Buildx;

/// <summary>The attestation properties (ContainerProvenance, ContainerSbom) checked and turned into buildx values.</summary>
internal static class Attestations
{
    /// <summary>`--provenance` value: true, false, mode=min or mode=max; empty means false (STV1105 otherwise).</summary>
    public static string Provenance(string? value)
    {
        var v = (value ?? string.Empty).Trim().ToLowerInvariant();
        return v switch
        {
            "" => "false",
            "true" or "false" or "mode=min" or "mode=max" => v,
            _ => throw new DiagnosticException("InvalidProvenance", value!),
        };
    }

    /// <summary>ContainerSbom: true or false; empty means false (STV1106 otherwise).</summary>
    public static bool Sbom(string? value)
    {
        var v = (value ?? string.Empty).Trim().ToLowerInvariant();
        return v switch
        {
            "" or "false" => false,
            "true" => true,
            _ => throw new DiagnosticException("InvalidSbom", value!),
        };
    }
}
