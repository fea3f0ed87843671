using System.Security.Cryptography;
using System.Text;

namespace Stevedore.Testing;

/// <summary>The link Stevedore hands buildx for a build context: context-&lt;12 hex of SHA-256 of its full path&gt; in the temp folder's stevedore-contexts/.</summary>
public static class ContextLinkPath
{
    public static string For(string context) =>
        Path.Combine(Path.GetTempPath(), "stevedore-contexts", "context-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(context).TrimEnd('/'))))[..12].ToLowerInvariant());
}
