using System.Diagnostics;
using Stevedore.Tasks.Dockerfiles;

namespace Stevedore.Tasks.Tests;

/// <summary>
/// The compile steps' core slots, run by a real /bin/sh with flock, as a RUN step runs them: no more steps at once than
/// `nproc` says, and every step runs in the end.
/// </summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CoreSlotsTests
{
    [TestMethod]
    public void NoMoreStepsRunAtOnceThanThereAreSlotsAndEveryOneRuns()
    {
        InSlotsFolder(folder =>
        {
            // Five steps on two slots (nproc honours OMP_NUM_THREADS): each notes when it starts and ends.
            var log = Path.Combine(folder, "log");
            var steps = Enumerable.Range(1, 5).Select(i => Start(
                $"{Wait(folder)}; echo \"+ {i}\" >>{log}; sleep 0.5; echo \"- {i}\" >>{log}", "2")).ToList();
            foreach (var step in steps)
        {
                Assert.IsTrue(step.WaitForExit(60_000), "a step never got a slot");
                Assert.AreEqual(0, step.ExitCode, step.StandardError.ReadToEnd());
            }

            var running = 0;
            var most = 0;
            foreach (var line in File.ReadAllLines(log))
        {
                running += line.StartsWith('+') ? 1 : -1;
                most = Math.Max(most, running);
            }

            Assert.AreEqual(2, most, File.ReadAllText(log));
            Assert.AreEqual(5, File.ReadAllLines(log).Count(l => l.StartsWith('+')));
        });
    }

    [TestMethod]
    public void TheCommandRunsAfterTheWaitWithTheMountOnTheRunLine()
    {
        var run = CoreSlots.Run("--network=none", "dotnet publish app.csproj");
        Assert.AreEqual("--network=none " + CoreSlots.Mount + " . " + CoreSlots.ScriptPath + "; \\\n dotnet publish app.csproj", run);
        StringAssert.Contains(CoreSlots.Mount, "sharing=shared");
    }

    [TestMethod]
    public void TheStageWritesTheWaitOnceAsAHeredocThatEndsOnItsTerminator()
    {
        var copy = CoreSlots.AddScript(new DockerfileStage("sdk")).Instructions.Single();
        Assert.AreEqual("COPY", copy.Keyword);
        StringAssert.StartsWith(copy.Arguments, "<<'EOF' " + CoreSlots.ScriptPath + "\n");
        StringAssert.EndsWith(copy.Arguments, "\nunset slots n i\nEOF");
        Assert.AreEqual(1, copy.Arguments.Split('\n').Count(l => l == "EOF"), "the terminator appears once, at the end");
    }

    [TestMethod]
    public void AFailingCommandStillFailsTheStep()
    {
        InSlotsFolder(folder =>
        {
            var step = Start($"{Wait(folder)}; exit 3", "1");
            Assert.IsTrue(step.WaitForExit(30_000));
            Assert.AreEqual(3, step.ExitCode);
        });
    }

    [TestMethod]
    public void WithoutAFolderToLockInTheStepRunsAtOnce()
    {
        // A wait must never fail a build or last for ever: no writable folder, no slot, the command runs.
        InSlotsFolder(folder =>
        {
            var step = Start($"{Wait("/nonexistent/stevedore-slots", folder)}; exit 4", "1");
            Assert.IsTrue(step.WaitForExit(10_000));
            Assert.AreEqual(4, step.ExitCode, step.StandardError.ReadToEnd());
        });
    }

    [TestMethod]
    public void ASlotFileAnotherUserCreatedIsLockedReadOnly()
    {
        InSlotsFolder(folder =>
        {
            // As a build under another user left it: read-only for this one (root runs the step as nobody, for whom
            // root's file is read-only too). The mount's mode=0777 makes the folder writable for every user.
            var slot = Path.Combine(folder, "0");
            File.WriteAllText(slot, string.Empty);
            File.SetUnixFileMode(slot, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
            var script = $"{Wait(folder)}; ls -l /proc/$$/fd/9 >&2; exit 5";
            var step = Start(script, "1", asNobody: true);
            Assert.IsTrue(step.WaitForExit(10_000));
            var error = step.StandardError.ReadToEnd();
            Assert.AreEqual(5, step.ExitCode, error);
            StringAssert.Contains(error, slot, "fd 9 holds the slot");
        });
    }

    // What a compile step runs first: the stage's script for these slots, sourced (kept beside the slots: no slot's name).
    private static string Wait(string folder, string? scriptFolder = null)
    {
        var script = Path.Combine(scriptFolder ?? folder, "core-slot.sh");
        if (File.Exists(script))
        {
            return ". " + script; // written once, as the stage does: a step may be reading it
        }

        File.WriteAllText(script, CoreSlots.Script(folder));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return ". " + script;
    }

    // A step as a RUN runs it: /bin/sh -c, with `nproc` answering cores; as nobody when asked (and the test runs as root).
    private static Process Start(string script, string cores, bool asNobody = false)
    {
        var info = asNobody && Environment.UserName == "root"
            ? new ProcessStartInfo("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c", script])
            : new ProcessStartInfo("/bin/sh", ["-c", script]);
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.Environment["OMP_NUM_THREADS"] = cores;
        return Process.Start(info)!;
    }

    private static void InSlotsFolder(Action<string> test)
    {
        var folder = Directory.CreateTempSubdirectory("stevedore-slots-").FullName;
        try
        {
            test(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
