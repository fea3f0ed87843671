using System.Xml;
using System.Xml.Linq;
using Stevedore.Tasks.Inputs.DotNet;
using Stevedore.Tasks.Options;

namespace Stevedore.Tasks.Security;

/// <summary>
/// A nuget.config that holds &lt;packageSourceCredentials&gt;. It never enters the build context's layers: it is left
/// out of COPY and of the source copy (.dockerignore), and restore reads it as a BuildKit secret mounted at its path.
/// </summary>
/// <param name="Id">The BuildKit secret id: nugetconfig, then nugetconfig-2, … for further files.</param>
/// <param name="FullPath">The file on the host: buildx reads it (--secret id=…,src=…); its contents are never an argument.</param>
/// <param name="RelativePath">Its path in the build context, where restore expects it.</param>
internal sealed record NuGetConfigSecret(string Id, string FullPath, string RelativePath)
{
    /// <summary>The `RUN --mount` option that puts the file where restore reads it, only for that step.</summary>
    public string Mount(string workingDirectory) => $"--mount=type=secret,id={Id},target={workingDirectory.TrimEnd('/')}/{RelativePath}";

    /// <summary>The buildx argument value.</summary>
    public string BuildxSecret => $"id={Id},src={FullPath}";

    /// <summary>The nuget.config restore inputs that carry credentials, in COPY order.</summary>
    public static IReadOnlyList<NuGetConfigSecret> FindIn(IEnumerable<RestoreInput> inputs)
    {
        var secrets = new List<NuGetConfigSecret>();
        foreach (var input in inputs.Where(i => i.Kind == RestoreInputKind.NuGetConfig && HasCredentials(i.FullPath)))
        {
            secrets.Add(new NuGetConfigSecret(secrets.Count == 0 ? "nugetconfig" : $"nugetconfig-{secrets.Count + 1}", input.FullPath, input.RelativePath));
        }

        return secrets;
    }

    /// <summary>True when the file has a &lt;packageSourceCredentials&gt; section with any source in it.</summary>
    public static bool HasCredentials(string path)
    {
        try
        {
            var config = XDocument.Load(path);
            return config.Root?.Elements().Any(e => string.Equals(e.Name.LocalName, "packageSourceCredentials", StringComparison.OrdinalIgnoreCase) && e.HasElements) == true;
        }
        catch (Exception e) when (e is IOException or XmlException or UnauthorizedAccessException)
        {
            // Restore will report an unreadable file itself; treat it as possibly secret so it is never copied.
            return File.Exists(path);
        }
    }
}
