using System.Net;
using System.Net.Sockets;
using System.Text;
using Stevedore.Testing.Faults;

namespace Stevedore.Tasks.Tests.Faults;

/// <summary>The e2e fault proxy's rules: which requests they hit, replay by seed, rate-limit windows, and the proxy itself.</summary>
[TestClass]
public sealed class FaultPlanTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [TestMethod]
    [DataRow("GET", "/v2/", RequestKind.Ping)]
    [DataRow("GET", "/token?scope=repository:shop/api:pull", RequestKind.Token)]
    [DataRow("POST", "/v2/shop/api/blobs/uploads/", RequestKind.BlobUpload)]
    [DataRow("POST", "/v2/shop/api/blobs/uploads/?mount=sha256:ab&from=dotnet/aspnet", RequestKind.BlobUpload)]
    [DataRow("PATCH", "/v2/shop/api/blobs/uploads/3f2c-11?_state=xyz", RequestKind.BlobUpload)]
    [DataRow("PUT", "/v2/shop/api/blobs/uploads/3f2c-11?_state=xyz&digest=sha256:ab", RequestKind.BlobUpload)]
    [DataRow("HEAD", "/v2/shop/api/blobs/sha256:ab", RequestKind.BlobRead)]
    [DataRow("GET", "/v2/dotnet/aspnet/blobs/sha256:ab", RequestKind.BlobRead)]
    [DataRow("PUT", "/v2/shop/api/manifests/1.0", RequestKind.ManifestPut)]
    [DataRow("HEAD", "/v2/dotnet/sdk/manifests/10.0", RequestKind.ManifestRead)]
    [DataRow("GET", "/v2/dotnet/sdk/manifests/sha256:ab", RequestKind.ManifestRead)]
    [DataRow("GET", "/v2/shop/api/tags/list", RequestKind.Other)]
    [DataRow("DELETE", "/v2/shop/api/manifests/sha256:ab", RequestKind.Other)]
    [DataRow("GET", "/v2/_catalog", RequestKind.Other)]
    public void ClassifiesTheDistributionApi(string method, string path, RequestKind kind) =>
        Assert.AreEqual(kind, FaultPlan.Classify(method, path));

    [TestMethod]
    public void RepositoryIsThePathBeforeBlobsOrManifests()
    {
        Assert.AreEqual("samples/dotnet-api", FaultPlan.RepositoryOf("/v2/samples/dotnet-api/blobs/uploads/x?y=z"));
        Assert.AreEqual("dotnet/aspnet", FaultPlan.RepositoryOf("/v2/dotnet/aspnet/manifests/10.0"));
        Assert.IsNull(FaultPlan.RepositoryOf("/v2/"));
    }

    [TestMethod]
    public void KeyDropsUploadIdsAndKeepsTheDigest() =>
        Assert.AreEqual(
            "PUT /v2/shop/api/blobs/uploads/*?digest=sha256:ab",
            FaultPlan.Key("PUT", "/v2/shop/api/blobs/uploads/3f2c-11?_state=xyz&digest=sha256:ab"));

    [TestMethod]
    public void RuleHitsOnlyItsKindsMethodsAndRepositories()
    {
        var plan = new FaultPlan(1, new FaultRule(new FaultAction.Status(503), RequestKind.BlobUpload) { Methods = ["PATCH"], Repository = "shop/" });
        Assert.IsNotNull(plan.Decide("PATCH", "/v2/shop/api/blobs/uploads/1", Now).Action);
        Assert.IsNull(plan.Decide("POST", "/v2/shop/api/blobs/uploads/", Now).Action, "another method");
        Assert.IsNull(plan.Decide("PATCH", "/v2/other/api/blobs/uploads/1", Now).Action, "another repository");
        Assert.IsNull(plan.Decide("GET", "/v2/shop/api/blobs/sha256:ab", Now).Action, "another kind");
    }

    [TestMethod]
    public void FirstMatchingRuleWinsAndTimesAndSkipCount()
    {
        var plan = new FaultPlan(
            1,
            new FaultRule(new FaultAction.Status(500), RequestKind.ManifestPut) { Skip = 1, Times = 2 },
            new FaultRule(new FaultAction.Delay(TimeSpan.FromSeconds(1)), RequestKind.ManifestPut));
        var actions = Enumerable.Range(0, 5).Select(_ => plan.Decide("PUT", "/v2/shop/api/manifests/1.0", Now).Action).ToList();
        Assert.IsInstanceOfType<FaultAction.Delay>(actions[0], "skipped by the first rule, hit by the second");
        Assert.AreEqual(new FaultAction.Status(500), actions[1]);
        Assert.AreEqual(new FaultAction.Status(500), actions[2]);
        Assert.IsInstanceOfType<FaultAction.Delay>(actions[3], "the first rule is spent after twice");
        CollectionAssert.AreEqual(new[] { 2, 3 }, plan.Hits().ToArray());
    }

    [TestMethod]
    public void SameSeedSameDecisionsWhateverTheUploadIds()
    {
        static List<bool> Run(int seed, string uploadId)
        {
            var plan = new FaultPlan(seed, new FaultRule(new FaultAction.Status(503), RequestKind.BlobUpload) { Probability = 0.3 });
            return Enumerable.Range(0, 200)
                .Select(i => plan.Decide("PUT", $"/v2/shop/api/blobs/uploads/{uploadId}{i}?_state=s&digest=sha256:{i % 40:x2}", Now).Action is not null)
                .ToList();
        }

        CollectionAssert.AreEqual(Run(7, "a"), Run(7, "b"), "a replay with the same seed");
        CollectionAssert.AreNotEqual(Run(7, "a"), Run(8, "a"), "another seed, other decisions");
        var share = Run(7, "a").Count(hit => hit) / 200.0;
        Assert.IsTrue(share is > 0.2 and < 0.4, $"30% asked, {share:P0} hit");
    }

    [TestMethod]
    public void RateLimitAnswers429UntilTheWindowCloses()
    {
        var plan = new FaultPlan(1, new FaultRule(new FaultAction.RateLimit(2), RequestKind.ManifestRead) { Repository = "dotnet/", Times = 1 });
        const string Path = "/v2/dotnet/sdk/manifests/10.0";
        Assert.AreEqual(new FaultAction.Status(429, 2), plan.Decide("HEAD", Path, Now).Action);
        Assert.AreEqual(new FaultAction.Status(429, 1), plan.Decide("HEAD", Path, Now.AddSeconds(1.5)).Action, "Retry-After: the seconds left");
        Assert.IsNull(plan.Decide("HEAD", Path, Now.AddSeconds(2)).Action, "the window closed");
        Assert.IsNull(plan.Decide("HEAD", Path, Now.AddSeconds(2.1)).Action, "one window only");
        Assert.IsNull(plan.Decide("HEAD", "/v2/shop/api/manifests/1.0", Now.AddSeconds(0.5)).Action, "other repositories are not limited");
    }

    [TestMethod]
    public void ProxyPassesThroughAndInjects()
    {
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        var served = Task.Run(async () =>
        {
            // A registry that answers each PUT of "{}" on one keep-alive connection with a fixed chunked body.
            using var socket = await upstream.AcceptSocketAsync();
            var buffer = new byte[4096];
            var text = new StringBuilder();
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer);
                if (n == 0)
                {
                    return text.ToString();
                }

                text.Append(Encoding.ASCII.GetString(buffer, 0, n));
                if (text.ToString().EndsWith("\r\n\r\n{}", StringComparison.Ordinal))
                {
                    await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nDocker-Content-Digest: sha256:ab\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
                }
            }
        });
        var plan = new FaultPlan(1, new FaultRule(new FaultAction.Status(503, 3), RequestKind.ManifestPut) { Times = 1 });
        using var proxy = new FaultProxy($"127.0.0.1:{((IPEndPoint)upstream.LocalEndpoint).Port}", plan, TimeSpan.FromMinutes(1));
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            var refused = http.PutAsync($"http://{proxy.Address}/v2/shop/api/manifests/1.0", new StringContent("{}")).GetAwaiter().GetResult();
            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.AreEqual(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
            var passed = http.PutAsync($"http://{proxy.Address}/v2/shop/api/manifests/1.0", new StringContent("{}")).GetAwaiter().GetResult();
            Assert.AreEqual(HttpStatusCode.OK, passed.StatusCode);
            Assert.AreEqual("hello", passed.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            Assert.AreEqual("sha256:ab", passed.Headers.GetValues("Docker-Content-Digest").Single());
        }

        proxy.Dispose();
        StringAssert.Contains(served.Wait(TimeSpan.FromSeconds(10)) ? served.Result : "(still open)", "Host: " + proxy.Address, "the Host header passes unchanged");
        Assert.HasCount(2, proxy.Decisions);
        Assert.HasCount(1, proxy.Faults);
        StringAssert.Contains(proxy.Summary(), "1× 503 (Retry-After: 3) on PUT ManifestPut");
    }
}
