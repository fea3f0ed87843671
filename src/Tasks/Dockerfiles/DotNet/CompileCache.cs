namespace Stevedore.Tasks.Dockerfiles.DotNet;

/// <summary>
/// The compile step's obj/ folders, kept across builds on one builder in a cache mount of the step's own, so that a
/// one-line edit compiles the project it is in (and those whose reference assembly it changes) as `dotnet build` on the
/// host does, instead of every project of the closure from an empty obj/.
/// <para>
/// MSBuild decides what to compile from file times. The step makes them safe to trust: the kept folders come back only
/// when the installed SDKs and every restore output (project.assets.json) are byte for byte those they were compiled against, and
/// every input file (the sources and the restore's project and props files) whose content differs from the last
/// successful compile is touched before MSBuild starts. A file copied in with an old time can therefore only cost a
/// compile, never leave a stale assembly in the image. The folders are kept only after the compile succeeded.
/// </para>
/// <para>
/// One cache per compile command (the project and its switches), one folder in it per target architecture, taken with
/// flock: a second build of the same project at the same time compiles from scratch instead of waiting. Without flock,
/// sha256sum or a writable mount, the step compiles as it would without the cache. Nothing of it is in a layer or an
/// exported cache; `ContainerCompileCache=false` leaves it out of the Dockerfile.
/// </para>
/// </summary>
internal static class CompileCache
{
    /// <summary>Where the step sees its kept folders.</summary>
    public const string Folder = "/run/stevedore/obj";

    /// <summary>Where the build stage keeps the script: sourced, readable by every user.</summary>
    public const string ScriptPath = "/usr/local/share/stevedore/compile-cache.sh";

    /// <summary>Writes the script into <paramref name="stage"/>, once, before any compile step sources it.</summary>
    public static DockerfileStage AddScript(DockerfileStage stage) =>
        stage.Add("COPY", $"<<'EOF' {ScriptPath}\n{Script(Folder, "/src")}EOF",
            "Compile steps keep their obj/ folders in a cache mount: an edit compiles the projects it changes, not the whole closure.");

    /// <summary>
    /// The RUN flag for the cache of a compile command: its id is a digest of <paramref name="key"/> (the project and
    /// every switch), so another project or other switches never see these folders.
    /// </summary>
    public static string Mount(string key) =>
        $"--mount=type=cache,id=stevedore-obj-{Files.TextHash.Sha256Hex(key)[..16]},target={Folder},sharing=shared,mode=0777";

    /// <summary>
    /// <paramref name="command"/> between taking the kept folders of <paramref name="target"/> (a word for the shell: one
    /// folder per target architecture when the command publishes for one) for <paramref name="inputs"/> (paths relative
    /// to the WORKDIR, folders ending in '/') and keeping them again when it succeeds.
    /// </summary>
    public static string Wrap(string command, string target, IEnumerable<string> inputs)
    {
        var paths = string.Join(" ", inputs.Distinct(StringComparer.Ordinal).Select(DockerfileWriter.ShellQuote));
        return $". {ScriptPath}; stevedore_obj_in {target} {paths}; \\\n {command} \\\n && stevedore_obj_out";
    }

    /// <summary>The target of a command that compiles for every platform at once.</summary>
    public const string EveryTarget = "all";

    /// <summary>
    /// The POSIX sh functions the step sources. stevedore_obj_in: take the target's folder (flock -n on fd 8),
    /// digest the installed SDKs and the restore outputs (the key) and every input file, bring the kept obj/ folders back
    /// (never over the restore's own files) when the key is the same, and touch each input whose digest changed.
    /// stevedore_obj_out: keep every folder holding a project.assets.json, the inputs' digests and the key. Neither ever
    /// fails the step. <paramref name="root"/> is the build stage's WORKDIR, where the inputs and obj/ folders are.
    /// </summary>
    internal static string Script(string folder, string root) =>
        $$"""
        # stevedore_obj_in <target> <inputs…>: brings back the obj/ folders the last successful compile of this step for
        # <target> kept, when the SDKs and the restore are the same, and touches every input whose content changed since,
        # so that MSBuild's file times can only make it compile more, never less.
        # stevedore_obj_out: keeps them after a successful compile.
        stevedore_obj_in() {
          stevedore_obj=
          command -v flock >/dev/null && command -v sha256sum >/dev/null || return 0
          o={{folder}}/$1; shift
          { mkdir -p "$o" && command exec 8>>"$o/lock"; } 2>/dev/null && flock -n 8 || return 0
          stevedore_obj_new=$(mktemp -d) || return 0
          { dotnet --list-sdks; find {{root}} -name project.assets.json -type f -exec sha256sum {} + | sort; } >"$stevedore_obj_new/key" 2>/dev/null
          find "$@" \( -name obj -o -name bin \) -prune -o -type f -exec sha256sum {} + 2>/dev/null | sort >"$stevedore_obj_new/inputs"
          if [ -d "$o/tree" ] && [ -f "$o/key" ] && [ "$(cat "$o/key")" = "$(cat "$stevedore_obj_new/key")" ]; then
            cp -a -n "$o/tree/." {{root}}/ 2>/dev/null
            grep -vxFf "$o/inputs" "$stevedore_obj_new/inputs" | cut -c67- | while IFS= read -r f; do touch -c -- "$f"; done
          fi
          stevedore_obj=$o
          return 0
        }
        stevedore_obj_out() {
          [ -n "$stevedore_obj" ] || return 0
          o=$stevedore_obj
          rm -rf "$o/tree" "$o/key" "$o/inputs"
          if mkdir "$o/tree" && find {{root}} -name project.assets.json -type f | while IFS= read -r f; do
              d=${f%/*}; mkdir -p "$o/tree${d#{{root}}}" && cp -a "$d/." "$o/tree${d#{{root}}}/" || exit 1
            done && cp "$stevedore_obj_new/inputs" "$o/inputs"; then
            cp "$stevedore_obj_new/key" "$o/key"
          else
            rm -rf "$o/tree" "$o/inputs"
          fi 2>/dev/null
          rm -rf "$stevedore_obj_new"
          return 0
        }

        """;
}
