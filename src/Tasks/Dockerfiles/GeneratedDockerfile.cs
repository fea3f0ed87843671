using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// Puts a Dockerfile and its &lt;Dockerfile&gt;.dockerignore on disk, whatever the project kind: generated
/// (rewritten only when changed, never over a person's file) or ejected as new user-owned files.
/// </summary>
internal static class GeneratedDockerfile
{
    /// <returns>Both paths, for FileWrites.</returns>
    public static string[] Write(string dockerfilePath, string dockerfile, string ignore, bool eject, TaskLoggingHelper log)
    {
        var ignorePath = dockerfilePath + ".dockerignore";
        if (eject)
        {
            // Check both first, so a refusal leaves nothing half-ejected.
            foreach (var path in new[] { dockerfilePath, ignorePath }.Where(File.Exists))
            {
                throw new DiagnosticException("EjectTargetExists", path);
            }

            GeneratedFile.WriteNew(dockerfilePath, dockerfile);
            GeneratedFile.WriteNew(ignorePath, ignore);
            log.LogMessage(MessageImportance.High, "Stevedore: ejected {0} and {1}; they build without Stevedore (docker buildx build): the Dockerfile's first lines say how.", dockerfilePath, ignorePath);
        }
        else
        {
            // Check both first, so a refusal leaves nothing half-written.
            foreach (var path in new[] { dockerfilePath, ignorePath }.Where(p => File.Exists(p) && !GeneratedFileHeader.IsGenerated(File.ReadAllText(p))))
            {
                throw new DiagnosticException("WouldOverwriteUserFile", path);
            }

            var written = GeneratedFile.WriteIfChanged(dockerfilePath, dockerfile) | GeneratedFile.WriteIfChanged(ignorePath, ignore);
            log.LogMessage(MessageImportance.Normal, written ? "Stevedore: wrote {0}" : "Stevedore: {0} is up to date", dockerfilePath);
        }

        return [dockerfilePath, ignorePath];
    }
}
