using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>Writes generated files safely: never over a person's file, only when changed, and atomically.</summary>
public static class GeneratedFile
{
    /// <summary>
    /// Writes <paramref name="content"/> unless the file already holds it (so its timestamp, and any cache
    /// keyed on it, stays put). Refuses with STV4001 to replace a file without the Stevedore header.
    /// </summary>
    /// <returns>True when the file was written.</returns>
    public static bool WriteIfChanged(string path, string content)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path);
            if (!GeneratedFileHeader.IsGenerated(existing))
            {
                throw new DiagnosticException("WouldOverwriteUserFile", path);
            }

            if (existing == content)
            {
                return false;
            }
        }

        WriteAtomically(path, content);
        return true;
    }

    /// <summary>Writes a user-owned file for eject; refuses (STV4003) if anything is there already.</summary>
    public static void WriteNew(string path, string content)
    {
        if (File.Exists(path))
        {
            throw new DiagnosticException("EjectTargetExists", path);
        }

        WriteAtomically(path, content);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write already failed; that error is the one to report.
        }
    }

    private static void WriteAtomically(string path, string content)
    {
        // Temp file in the same folder + rename: readers see the old file or the new one, never half of one.
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(temp, content, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new DiagnosticException("WriteFailed", path, e.Message);
        }
    }
}
