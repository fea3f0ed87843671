using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>Writes generated files safely: never over a person's file, only when changed, and atomically.</summary>
internal static class GeneratedFile
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

        Files.AtomicFile.Write(path, content);
        return true;
    }

    /// <summary>Writes a user-owned file for eject; refuses (STV4003) if anything is there already.</summary>
    public static void WriteNew(string path, string content)
    {
        if (File.Exists(path))
        {
            throw new DiagnosticException("EjectTargetExists", path);
        }

        Files.AtomicFile.Write(path, content);
    }


}
