using System.Security.Cryptography;
using System.Text;

namespace Stevedore.Tasks.Files;

/// <summary>The SHA-256 of a text's UTF-8 bytes as lower-case hex: the one digest of a name, a key or a document.</summary>
internal static class TextHash
{
    public static string Sha256Hex(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
