using System.Text;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Files;

/// <summary>
/// Writes a whole file or nothing: a temp file of its own (a unique name, so two writers never share one) in the same
/// folder, then a rename. Readers see the old file or the new one, never half of one; a failed write leaves no temp.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="content"/> (UTF-8, no BOM); an I/O failure is STV4002 (WriteFailed) naming the file.</summary>
    public static void Write(string path, string content)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(temp, content, Utf8);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The write already failed; that error is the one to report.
            }

            throw new DiagnosticException("WriteFailed", path, e.Message);
        }
    }
}
