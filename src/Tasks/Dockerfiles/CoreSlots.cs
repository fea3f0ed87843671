namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// The build machine's cores as slots that every compile step on one builder shares: a compile takes a free slot
/// before it starts, or waits for one, and gives it back when its step ends (also when it fails or is cancelled: the
/// lock dies with the step's processes).
/// <para>
/// BuildKit starts every step that is ready, so a solution's eight services compile at once. On two cores each of those
/// compiles cost about 9.6 CPU-s (one alone, 7.5): eight JIT-heavy compiler processes thrash the caches they share, and
/// eight of them hold eight times the memory. With the slots, the eight cost 8.2 CPU-s each, and the first images are
/// exported while the others compile. The engine-wide setting (buildkitd.toml's max-parallelism) exists only for a
/// builder of one's own, and limits every step, copies too.
/// </para>
/// <para>
/// The slots are lock files (flock) in a cache mount shared by every build on the builder, as many as the step's
/// `nproc`. The wait is a small script the build stage writes once (a COPY heredoc); each compile step sources it, so
/// the lock it takes on fd 9 stays with the step's shell and the compiler it starts.
/// </para>
/// </summary>
internal static class CoreSlots
{
    /// <summary>Where the step sees the slots: a cache mount, in no layer and in no exported cache.</summary>
    public const string Folder = "/run/stevedore/core-slots";

    /// <summary>The RUN flag that mounts the slots, writable by every user: a build image may run as a user of its own.</summary>
    public const string Mount = $"--mount=type=cache,id=stevedore-core-slots,target={Folder},sharing=shared,mode=0777";

    /// <summary>Where the build stage keeps the wait script: readable by every user, sourced (no execute bit needed).</summary>
    public const string ScriptPath = "/usr/local/share/stevedore/core-slot.sh";

    /// <summary>Writes the wait script into <paramref name="stage"/>, once, before any compile step sources it.</summary>
    public static DockerfileStage AddScript(DockerfileStage stage) =>
        stage.Add("COPY", $"<<'EOF' {ScriptPath}\n{Script(Folder)}EOF",
            "Compile steps wait here for a free core: eight compiles at once on two cores take longer than two at a time.");

    /// <summary>
    /// A RUN instruction's arguments: <paramref name="flags"/> (e.g. "--network=none", other mounts), the slot mount, the
    /// wait for a slot, then <paramref name="command"/>.
    /// </summary>
    public static string Run(string flags, string command) =>
        $"{flags}{(flags.Length == 0 ? string.Empty : " ")}{Mount} . {ScriptPath}; \\\n {command}";

    /// <summary>As <see cref="Run(string, string)"/>, or the step alone when <paramref name="wait"/> is false: an ejected file needs nothing of Stevedore.</summary>
    public static string Run(string flags, string command, bool wait) =>
        wait ? Run(flags, command) : $"{flags}{(flags.Length == 0 ? string.Empty : " ")}{command}";

    /// <summary>
    /// The POSIX sh (dash, busybox ash) that takes a slot in <paramref name="folder"/> when sourced: fd 9 holds it for the
    /// rest of the step. As many slots as `nproc` says (one when it fails). The step runs at once, without a slot, when the
    /// image has no flock, or the folder cannot be written, or a slot's file cannot be opened: a wait must never fail a
    /// build or last for ever. The files are opened read-only (flock needs no more), so any user can lock a file another
    /// created; `command exec` keeps a failed open from ending the shell.
    /// </summary>
    internal static string Script(string folder) =>
        $$"""
        # Takes one of `nproc` core slots (lock files shared by every build on this builder) on fd 9 for the rest of the step.
        # Never fails the step and never waits for ever: without flock, a writable folder or a slot it can open, it goes on.
        slots={{folder}}
        if command -v flock >/dev/null && [ -w "$slots" ]; then
          n=$(nproc 2>/dev/null) || n=1
          i=0
          while { [ -e "$slots/$i" ] || : >"$slots/$i"; command exec 9<"$slots/$i"; } 2>/dev/null && ! flock -n 9; do
            i=$(((i + 1) % n))
            [ "$i" -ne 0 ] || sleep 1
          done
        fi
        unset slots n i

        """;
}
