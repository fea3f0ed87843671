using Stevedore.Tasks.Platforms;
using Stevedore.Tasks.Plan;
using Stevedore.Tasks.Buildx;

namespace Stevedore.Tasks.Tests.Buildx;

/// <summary>The retry policy over captured buildx output (lines as buildx 0.13.1 printed them through the fault proxy), and the task's attempt loop with a stand-in docker.</summary>
[TestClass]
public sealed class BuildRetryTests
{
    private const string Upload503 = "ERROR: failed to solve: failed to push 127.0.0.1:39101/e2e/app:e2e-5a08: unexpected status from POST request to http://127.0.0.1:39101/v2/e2e/app/blobs/uploads/: 503 Service Unavailable";
    private const string UploadReset = "ERROR: failed to solve: failed to push 127.0.0.1:35991/e2e/app:e2e-3201: failed commit on ref \"layer-sha256:42c5\": failed to do request: Put \"http://127.0.0.1:35991/v2/e2e/app/blobs/uploads/2cc546e1-2f7e?_state=vevU%3D&digest=sha256%3A42c5\": read tcp 127.0.0.1:37674->127.0.0.1:35991: read: connection reset by peer";
    private const string UploadClosed = "ERROR: failed to solve: failed to push 127.0.0.1:36751/samples/dotnet-api:e2e-456d: failed to copy: failed to do request: Put \"http://127.0.0.1:36751/v2/samples/dotnet-api/blobs/uploads/7b8a?_state=2q%3D&digest=sha256%3A916f\": readfrom tcp 127.0.0.1:43152->127.0.0.1:36751: write tcp 127.0.0.1:43152->127.0.0.1:36751: use of closed network connection";
    private const string UploadPipe = "ERROR: failed to solve: failed to push 127.0.0.1:5000/samples/dotnet-api:1.0: failed to copy: io: read/write on closed pipe";
    private const string Manifest500 = "ERROR: failed to solve: failed to push 127.0.0.1:34647/e2e/app:e2e-c537: failed commit on ref \"manifest-sha256:6181\": unexpected status from PUT request to http://127.0.0.1:34647/v2/e2e/app/manifests/sha256:6181bb90: 500 Internal Server Error";
    private const string Manifest403 = "ERROR: failed to solve: failed to push 127.0.0.1:33297/e2e/app:e2e-9eec: failed commit on ref \"manifest-sha256:6904\": unexpected status from PUT request to http://127.0.0.1:33297/v2/e2e/app/manifests/sha256:6904c83a: 403 Forbidden";
    private const string Resolve429 = "ERROR: failed to solve: 127.0.0.1:43911/e2e/base:e2e-ae4b: failed to resolve source metadata for 127.0.0.1:43911/e2e/base:e2e-ae4b: unexpected status from HEAD request to http://127.0.0.1:43911/v2/e2e/base/manifests/e2e-ae4b: 429 Too Many Requests";
    private const string ConfigRead503 = "ERROR: failed to solve: 127.0.0.1:44733/e2e/base:e2e-2ba7: failed to resolve source metadata for 127.0.0.1:44733/e2e/base:e2e-2ba7: failed to copy: httpReadSeeker: failed open: unexpected status code https://127.0.0.1:44733/v2/e2e/base/blobs/sha256:84de7017: 503 Service Unavailable - Server message: unavailable: injected";
    private const string CacheExport503 = "ERROR: failed to solve: error writing layer blob: unexpected status from POST request to http://127.0.0.1:45653/v2/e2e/cache/blobs/uploads/: 503 Service Unavailable";
    private const string ResolveTimeout = "ERROR: failed to solve: 127.0.0.1:5000/dotnet/sdk:10.0: failed to resolve source metadata for 127.0.0.1:5000/dotnet/sdk:10.0: failed to do request: Head \"https://127.0.0.1:5000/v2/dotnet/sdk/manifests/10.0\": net/http: TLS handshake timeout";
    private const string ManifestBlobNotYetPushed = "ERROR: failed to solve: failed to push 127.0.0.1:40489/samples/go-api:e2e-47f8cd40781c: failed commit on ref \"manifest-sha256:f6263375be7d\": unexpected status from PUT request to http://127.0.0.1:40489/v2/samples/go-api/manifests/sha256:f6263375be7d: 400 Bad Request";
    private const string SharedStep = "ERROR: failed to solve: failed to compute cache key: failed to get state for index 0 on [linux/amd64 build 12/14] COPY [samples/dotnet/src/Api/, samples/dotnet/src/Api/]";
    private const string Manifest404 = "ERROR: failed to solve: 127.0.0.1:5000/dotnet/sdk:9.9: failed to resolve source metadata for 127.0.0.1:5000/dotnet/sdk:9.9: unexpected status from HEAD request to http://127.0.0.1:5000/v2/dotnet/sdk/manifests/9.9: 404 Not Found";

    [TestMethod]
    [DataRow(Upload503, "127.0.0.1:39101", "pushing a layer of e2e/app", "503 Service Unavailable", true)]
    [DataRow(UploadReset, "127.0.0.1:35991", "pushing a layer of e2e/app", "a broken connection (connection reset by peer)", true)]
    [DataRow(UploadClosed, "127.0.0.1:36751", "pushing a layer of samples/dotnet-api", "a broken connection (use of closed network connection)", true)]
    [DataRow(UploadPipe, "127.0.0.1:5000", "pushing a layer of samples/dotnet-api", "a broken connection (io: read/write on closed pipe)", true)]
    [DataRow(Manifest500, "127.0.0.1:34647", "pushing the manifest of e2e/app", "500 Internal Server Error", true)]
    [DataRow(Manifest403, "127.0.0.1:33297", "pushing the manifest of e2e/app", "403 Forbidden", false)]
    [DataRow(Resolve429, "127.0.0.1:43911", "resolving the base image e2e/base:e2e-ae4b", "429 Too Many Requests", true)]
    [DataRow(ConfigRead503, "127.0.0.1:44733", "resolving the base image e2e/base:e2e-2ba7", "503 Service Unavailable", true)]
    [DataRow(CacheExport503, "127.0.0.1:45653", "exporting the build cache to e2e/cache", "503 Service Unavailable", true)]
    [DataRow(ResolveTimeout, "127.0.0.1:5000", "resolving the base image dotnet/sdk:10.0", "no answer in time (TLS handshake timeout)", true)]
    [DataRow(Manifest404, "127.0.0.1:5000", "resolving the base image dotnet/sdk:9.9", "404 Not Found", false)]
    public void RecognisesTheRegistryTheOperationAndTheStatus(string line, string registry, string operation, string status, bool transient)
    {
        var fault = RegistryFault.Parse(line);
        Assert.IsNotNull(fault, line);
        Assert.AreEqual(new RegistryFault(registry, operation, status, transient, null), fault);
    }

    [TestMethod]
    public void RawJsonEscapedQuotesReadAsPlain() =>
        Assert.AreEqual("a broken connection (connection reset by peer)", RegistryFault.Parse("{\"error\":\"" + UploadReset.Replace("\"", "\\\"") + "\"}")?.Status);

    [TestMethod]
    [DataRow("#12 [linux/amd64 build 5/9] RUN dotnet restore")]
    [DataRow("ERROR: failed to solve: process \"/bin/sh -c dotnet publish\" did not complete successfully: exit code: 1")]
    [DataRow("#9 exporting to image")]
    [DataRow("ERROR: failed to solve: failed to push 127.0.0.1:5000/x:1: failed to do request: Put \"http://127.0.0.1:5000/v2/x/blobs/uploads/1\": context canceled")]
    public void OtherLinesAreNoRegistryFault(string line) => Assert.IsNull(RegistryFault.Parse(line));

    [TestMethod]
    public void TransientFaultsAreRetriedWithDoublingBackoff()
    {
        CollectionAssert.AreEqual(
            new[] { 2.0, 4.0, 8.0 },
            Enumerable.Range(1, 3).Select(attempt => BuildRetry.Decide([Upload503], attempt, 3)).Select(d => d.Retry ? d.Delay.TotalSeconds : -1).ToArray());
        var last = BuildRetry.Decide([Upload503], 4, 3);
        Assert.IsFalse(last.Retry, "after the last attempt");
        Assert.IsTrue(last.Fault!.IsTransient);
        Assert.AreEqual(60, BuildRetry.Delay(12, null).TotalSeconds, "capped");
    }

    [TestMethod]
    public void PermanentFaultsAndOtherFailuresAreNeverRetried()
    {
        Assert.IsFalse(BuildRetry.Decide([Manifest403], 1, 3).Retry);
        Assert.IsFalse(BuildRetry.Decide([Manifest404], 1, 3).Retry);
        var step = BuildRetry.Decide(["ERROR: failed to solve: process \"/bin/sh -c dotnet publish\" did not complete successfully: exit code: 1"], 1, 3);
        Assert.IsFalse(step.Retry);
        Assert.IsNull(step.Fault);
        Assert.IsFalse(BuildRetry.Decide([Upload503], 1, 0).Retry, "ContainerRegistryRetries=0");
    }

    [TestMethod]
    public void RetryAfterShownInTheOutputIsHonoured()
    {
        var decision = BuildRetry.Decide(["#14 1.2 response 429 Too Many Requests, Retry-After: 17", Resolve429], 1, 3);
        Assert.AreEqual(TimeSpan.FromSeconds(17), decision.Delay);
        Assert.AreEqual(TimeSpan.FromSeconds(60), BuildRetry.Delay(1, TimeSpan.FromSeconds(600)), "at most a minute");
        Assert.AreEqual(TimeSpan.FromSeconds(4), BuildRetry.Delay(2, TimeSpan.FromSeconds(1)), "a shorter Retry-After does not shorten the backoff");
    }

    [TestMethod]
    public void BuildxsOwnLastErrorDecides()
    {
        Assert.AreEqual("pushing the manifest of e2e/app", RegistryFault.Find([Upload503.Replace("ERROR: failed to solve: ", "#28 ERROR: "), "#20 pushing manifest", Manifest500])?.Operation);
        Assert.AreEqual("pushing a layer of e2e/app", RegistryFault.Find(["#28 ERROR: " + Manifest500[24..], Upload503])?.Operation, "the solve error wins over a later step error");

        // An ignored cache import that met a 503, then a step that failed: nothing to retry.
        var stepFailed = RegistryFault.Find([
            "#5 ERROR: failed to fetch manifest: unexpected status from GET request to http://127.0.0.1:6000/v2/shop/cache/manifests/main: 503 Service Unavailable",
            "ERROR: failed to solve: process \"/bin/sh -c dotnet publish\" did not complete successfully: exit code: 1"]);
        Assert.IsNull(stepFailed);
    }

    [TestMethod]
    public void StrictRegistryCachesAreThoseWithoutIgnoreError() =>
        CollectionAssert.AreEqual(
            new[] { "r.example.com/a-cache:main" },
            CacheRegistryCheck.StrictRegistryCaches(new[] { "type=registry,ref=r.example.com/a-cache:main,mode=max", "type=registry,ref=r.example.com/b:x,ignore-error=true", "type=local,dest=/tmp/c" }
                .Select(text => Stevedore.Tasks.Caching.CacheSpec.Parse(text, Stevedore.Tasks.Caching.CacheDirection.To))).ToArray());

    [TestMethod]
    public void CacheRegistryCheckRetriesThenFailsWithStv3204()
    {
        var asked = 0;
        var waits = new List<TimeSpan>();
        var fault = new RegistryFault("127.0.0.1:6000", "starting a cache upload to a-cache", "503 Service Unavailable", true, null);
        var error = Assert.ThrowsExactly<Stevedore.Tasks.Diagnostics.DiagnosticException>(() =>
            CacheRegistryCheck.Require("127.0.0.1:6000/a-cache:main", 2, _ => { asked++; return fault; }, d => { waits.Add(d); return true; }, (_, _, _) => { }));
        Assert.AreEqual("CacheRegistryFailing", error.ResourceName);
        StringAssert.StartsWith(error.Text, "STV3204: The cache registry '127.0.0.1:6000' answered 503 Service Unavailable when asked to accept the cache '127.0.0.1:6000/a-cache:main' (after 3 attempts)");
        Assert.AreEqual(3, asked);
        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) }, waits);

        asked = 0;
        CacheRegistryCheck.Require("127.0.0.1:6000/a-cache:main", 2, _ => ++asked == 1 ? fault : null, _ => true, (_, _, _) => { });
        Assert.AreEqual(2, asked, "passes once the registry answers");
    }

    [TestMethod]
    public void TaskBuildsAgainUntilTheFaultPassesLoggingEachAttempt()
    {
        using var docker = new StandInDocker(failures: 2, Upload503);
        var (task, engine, waits) = docker.Task(retries: 3);
        Assert.IsTrue(task.Execute(), string.Join('\n', engine.Errors.Select(e => e.Message)));
        Assert.AreEqual(3, docker.Runs);
        Assert.IsEmpty(engine.Errors);
        CollectionAssert.AreEqual(new[] { "STV3201", "STV3201" }, engine.Warnings.Select(w => w.Code).ToArray());
        StringAssert.Contains(engine.Warnings[0].Message, "'127.0.0.1:39101' answered 503 Service Unavailable while pushing a layer of e2e/app");
        StringAssert.Contains(engine.Warnings[1].Message, "attempt 3 of 4, in 4 s");
        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) }, waits);
    }

    [TestMethod]
    public void TaskEndsWithOneCodedErrorAfterTheLastAttempt()
    {
        using var docker = new StandInDocker(failures: 99, Manifest500);
        var (task, engine, _) = docker.Task(retries: 2);
        Assert.IsFalse(task.Execute());
        Assert.AreEqual(3, docker.Runs);
        Assert.AreEqual("STV3202", engine.Errors.Single().Code);
        Assert.AreEqual(
            "The registry '127.0.0.1:34647' still answered 500 Internal Server Error while pushing the manifest of e2e/app after 3 attempts, so the build did not finish and the tag was not moved; check that the registry is up and not rate-limiting this machine (its status page; 'docker login' often raises a pull limit), then publish again, or raise ContainerRegistryRetries.",
            engine.Errors.Single().Message);
    }

    [TestMethod]
    public void BuildKitsSharedStepRaceIsRetriedLikeATransientFault()
    {
        // CI: two publishes at once against one cache; one ended on moby/buildkit#3635 after restore.
        var first = BuildRetry.Decide(["#48 ERROR: failed to get state for index 0 on [linux/amd64 build 12/14] COPY [samples/dotnet/src/Api/, samples/dotnet/src/Api/]", SharedStep], 1, 3);
        Assert.IsTrue(first.Retry);
        Assert.AreEqual("SharedStepRaceRetrying", first.EngineRace);
        Assert.IsNull(first.Fault);
        Assert.AreEqual(TimeSpan.FromSeconds(2), first.Delay);
        Assert.IsFalse(BuildRetry.Decide([SharedStep], 4, 3).Retry, "after the last attempt");
        Assert.IsFalse(BuildRetry.Decide(["#48 ERROR: failed to get state for index 0 on [build 3/4] COPY . .", "ERROR: failed to solve: process \"/bin/sh -c dotnet publish\" did not complete successfully: exit code: 1"], 1, 3).Retry, "only buildx's last error decides");
    }

    [TestMethod]
    public void ImageStoreLosingASnapshotWhileUnpackingIsRetried()
    {
        // The scale bench, on its own engine: a bake's export to the image store just after the build cache was emptied.
        const string Lost = "ERROR: failed to solve: failed to prepare extraction snapshot \"extract-642867714-27Ku sha256:5a74da052c3dbcdedd8c92759818e3907ee4c16d587a89be3bb77c7380cc6337\": parent snapshot sha256:a76074177b59c6fdfde15a7747207636eaf58e5c9217441c713ce327439a774b does not exist: not found";
        var first = BuildRetry.Decide(["#29 ERROR: failed to prepare extraction snapshot \"extract-642867714-27Ku sha256:5a74\": parent snapshot sha256:a760 does not exist: not found", Lost], 1, 3);
        Assert.IsTrue(first.Retry);
        Assert.AreEqual("LostSnapshotRetrying", first.EngineRace);
        Assert.IsNull(first.Fault);
        Assert.IsFalse(BuildRetry.Decide([Lost], 4, 3).Retry, "after the last attempt");
        Assert.IsNull(BuildRetry.EngineRace(["ERROR: failed to solve: failed to prepare extraction snapshot: no space left on device"]), "another failure of the same step is not the race");

        AssertBuiltAgainOnce(Lost, "STV3206");
    }

    [TestMethod]
    public void TaskBuildsAgainAfterTheSharedStepRace()
    {
        AssertBuiltAgainOnce(SharedStep, "STV3205");

        using var always = new StandInDocker(failures: 99, SharedStep);
        var (stuck, stuckEngine, _) = always.Task(retries: 1);
        Assert.IsFalse(stuck.Execute());
        Assert.AreEqual(2, always.Runs);
        Assert.AreEqual("STV2001", stuckEngine.Errors.Single().Code);
    }

    // The task's first attempt ends on an engine race, the second succeeds: one warning with the race's code.
    private static void AssertBuiltAgainOnce(string race, string code)
    {
        using var docker = new StandInDocker(failures: 1, race);
        var (task, engine, _) = docker.Task(retries: 3);
        Assert.IsTrue(task.Execute(), string.Join('\n', engine.Errors.Select(e => e.Message)));
        Assert.AreEqual(2, docker.Runs);
        Assert.AreEqual(code, engine.Warnings.Single().Code);
        StringAssert.Contains(engine.Warnings[0].Message, "attempt 2 of 4, in 2 s");
    }

    [TestMethod]
    public void AManifestRefusedWith400IsTriedOnceMore()
    {
        // CI: four publishes at once to one registry; one manifest named a base layer another build was still uploading.
        var first = BuildRetry.Decide([ManifestBlobNotYetPushed], 1, 3);
        Assert.IsTrue(first.Retry);
        Assert.AreEqual("pushing the manifest of samples/go-api", first.Fault!.Operation);
        Assert.AreEqual("400 Bad Request", first.Fault.Status);
        var second = BuildRetry.Decide([ManifestBlobNotYetPushed], 2, 3);
        Assert.IsFalse(second.Retry, "refused again: the manifest itself is what the registry rejects");
        Assert.IsFalse(second.Fault!.IsTransient);
        Assert.IsFalse(BuildRetry.Decide([ManifestBlobNotYetPushed], 1, 0).Retry, "ContainerRegistryRetries=0");
        Assert.IsFalse(RegistryFault.Parse(Manifest404)!.RetryOnce, "a 400 only on a manifest put");

        using var docker = new StandInDocker(failures: 1, ManifestBlobNotYetPushed);
        var (task, engine, _) = docker.Task(retries: 3);
        Assert.IsTrue(task.Execute(), string.Join('\n', engine.Errors.Select(e => e.Message)));
        Assert.AreEqual("STV3201", engine.Warnings.Single().Code);

        using var always = new StandInDocker(failures: 99, ManifestBlobNotYetPushed);
        var (refused, refusedEngine, _) = always.Task(retries: 3);
        Assert.IsFalse(refused.Execute());
        Assert.AreEqual(2, always.Runs);
        Assert.AreEqual("STV3203", refusedEngine.Errors.Single().Code);
    }

    [TestMethod]
    public void TaskNeverRetriesAPermanentFault()
    {
        using var docker = new StandInDocker(failures: 99, Manifest404);
        var (task, engine, waits) = docker.Task(retries: 3);
        Assert.IsFalse(task.Execute());
        Assert.AreEqual(1, docker.Runs);
        Assert.IsEmpty(waits);
        Assert.AreEqual("STV3203", engine.Errors.Single().Code);
    }

    [TestMethod]
    public void TaskNeverRetriesRefusedCredentials()
    {
        using var docker = new StandInDocker(failures: 99, Manifest403);
        var (task, engine, _) = docker.Task(retries: 3);
        Assert.IsFalse(task.Execute());
        Assert.AreEqual(1, docker.Runs);
        Assert.AreEqual("STV2004", engine.Errors.Single().Code);
    }

    /// <summary>A `docker` script that prints <c>line</c> and exits 1 for its first <c>failures</c> runs, then exits 0; counts its runs.</summary>
    private sealed class StandInDocker : IDisposable
    {
        private readonly TempTree tree = new();

        public StandInDocker(int failures, string line)
        {
            var script = tree.File("bin/docker", $$"""
                #!/bin/sh
                n=$(cat "{{tree.Root}}/runs" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "{{tree.Root}}/runs"
                if [ $n -le {{failures}} ]; then echo '{{line.Replace("'", "'\\''")}}' >&2; exit 1; fi
                echo "#9 exporting to image"
                """);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            tree.File("Dockerfile", "FROM scratch\n");
        }

        public int Runs => int.Parse(File.ReadAllText(Path.Combine(tree.Root, "runs")).Trim());

        public (BuildContainerImage Task, RecordingBuildEngine Engine, List<TimeSpan> Waits) Task(int retries)
        {
            var engine = new RecordingBuildEngine();
            var waits = new List<TimeSpan>();
            var task = new BuildContainerImage
            {
                BuildEngine = engine,
                ToolPath = Path.Combine(tree.Root, "bin"),
                Model = new BuildPlan
                {
                    Project = "app",
                    Platforms = [ContainerPlatform.Parse("linux/amd64")],
                    Dockerfile = Path.Combine(tree.Root, "Dockerfile"),
                    Context = tree.Root,
                    Images = ["127.0.0.1:5000/e2e/app:1"],
                    Push = true,
                },
                RegistryRetries = retries,
                Wait = (delay, _) => { waits.Add(delay); return true; },
            };
            return (task, engine, waits);
        }

        public void Dispose() => tree.Dispose();
    }
}
