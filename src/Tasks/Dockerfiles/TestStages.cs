namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// The stages ContainerRunTests adds, whatever the project kind: a `test` stage on the build platform whose last step
/// runs the tests and always succeeds, keeping their results and exit code in <see cref="ResultsFolder"/> (so the
/// results can be exported even when a test fails, and a failure is cached like any result); `test-results`, exactly
/// those files, for `--target test-results --output type=local`; and `tests-passed`, which fails unless the exit code is
/// 0 and which the stage the final image copies from waits for, so no image is produced from failing tests.
/// </summary>
internal static class TestStages
{
    /// <summary>Where the test stage leaves its results (TRX files, go test's JSON) and the file <see cref="ExitFile"/>.</summary>
    public const string ResultsFolder = "/stevedore/tests";

    /// <summary>The run's exit code: 0 when every test passed.</summary>
    public const string ExitFile = "exit";

    /// <summary>The stage the host exports (`--target`) before building the image.</summary>
    public const string ResultsStage = "test-results";

    public const string TestStage = "test";

    private const string PassedStage = "tests-passed";

    // An empty folder: copying it makes the image's build depend on the tests, and puts nothing in any image.
    private const string PassedFolder = "/stevedore/passed";

    /// <summary>
    /// The test step's arguments: each of <paramref name="commands"/> runs even after one failed, the last failure's exit
    /// code lands in <see cref="ExitFile"/>, and the step succeeds. No network: every package was restored before it.
    /// <paramref name="mounts"/>: RUN flags such as a compiler cache mount.
    /// </summary>
    public static string Run(IEnumerable<string> commands, string mounts = "") =>
        $"--network=none {(mounts.Length == 0 ? string.Empty : mounts + " ")}mkdir -p {ResultsFolder}; s=0; \\\n "
        + string.Concat(commands.Select(c => c + " || s=$?; \\\n "))
        + $"echo $s >{ResultsFolder}/{ExitFile}";

    /// <summary>
    /// Puts <paramref name="test"/> (named <see cref="TestStage"/>, its last step <see cref="Run"/>), `test-results` and
    /// `tests-passed` first in <paramref name="model"/>, and makes <paramref name="gated"/> (the stage the final image
    /// copies the app from) wait for `tests-passed` at its end, so the app's own steps do not change.
    /// </summary>
    public static void AddTo(DockerfileModel model, DockerfileStage test, DockerfileStage gated)
    {
        var results = new DockerfileStage("scratch", ResultsStage)
            .Add("COPY", $"--from={TestStage} {ResultsFolder}/ /",
                "The results alone: Stevedore exports this stage to the host (obj/…/stevedore/test-results) before it builds the image.");
        var passed = new DockerfileStage(TestStage, PassedStage)
            .Add("RUN", $"--network=none s=$(cat {ResultsFolder}/{ExitFile}); if [ \"$s\" != 0 ]; then echo \"the tests failed (exit code $s); the test-results stage holds their results\" >&2; exit 1; fi; mkdir -p {PassedFolder}",
                "Fails when a test failed, so an image is produced only from passing tests.");
        model.Stages.InsertRange(0, [test, results, passed]);
        gated.Add("COPY", $"--from={PassedStage} {PassedFolder}/ {PassedFolder}/",
            "Waits for the tests (ContainerRunTests): no image unless they pass; an empty folder, in no image, so nothing after it changes.");
    }
}
