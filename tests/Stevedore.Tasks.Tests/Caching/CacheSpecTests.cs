using Stevedore.Tasks.Caching;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Tests.Caching;

[TestClass]
public sealed class CacheSpecTests
{
    [TestMethod]
    [DataRow("type=local,src=/c", "type=local,src=/c")]
    [DataRow("type=local,src=/c,digest=sha256:abc,tag=v1", "type=local,digest=sha256:abc,src=/c,tag=v1")]
    [DataRow("type=registry,ref=r.example.com/a/cache:main", "type=registry,ref=r.example.com/a/cache:main")]
    [DataRow("r.example.com/a/cache:main", "type=registry,ref=r.example.com/a/cache:main")]
    [DataRow("type=gha,scope=api,url=http://127.0.0.1:1/", "type=gha,scope=api,url=http://127.0.0.1:1/")]
    [DataRow("type=s3,region=eu-west-1,bucket=b,name=api,prefix=p/,endpoint_url=http://127.0.0.1:9000,use_path_style=TRUE", "type=s3,bucket=b,endpoint_url=http://127.0.0.1:9000,name=api,prefix=p/,region=eu-west-1,use_path_style=true")]
    [DataRow("type=azblob,account_url=https://a.blob.core.windows.net,name=api", "type=azblob,account_url=https://a.blob.core.windows.net,name=api")]
    public void CacheFromIsNormalized(string spec, string normalized) =>
        Assert.AreEqual(normalized, CacheSpec.Parse(spec, CacheDirection.From).ToString());

    [TestMethod]
    [DataRow("type=local,dest=/c,mode=max,compression=zstd,compression-level=3,force-compression=true,oci-mediatypes=true,image-manifest=false,ignore-error=true,tag=v1",
        "type=local,compression=zstd,compression-level=3,dest=/c,force-compression=true,ignore-error=true,image-manifest=false,mode=max,oci-mediatypes=true,tag=v1")]
    [DataRow(" mode=max , ref=r.example.com/a/cache:main,type=REGISTRY", "type=registry,mode=max,ref=r.example.com/a/cache:main")]
    [DataRow("type=inline", "type=inline")]
    [DataRow("type=inline,mode=min", "type=inline,mode=min")]
    [DataRow("type=gha,scope=api,mode=max,ignore-error=false,timeout=10m", "type=gha,ignore-error=false,mode=max,scope=api,timeout=10m")]
    [DataRow("type=s3,region=r,bucket=b,mode=max,upload_parallelism=4,touch_refresh=24h", "type=s3,bucket=b,mode=max,region=r,touch_refresh=24h,upload_parallelism=4")]
    [DataRow("type=azblob,account_url=https://a.blob.core.windows.net,mode=max", "type=azblob,account_url=https://a.blob.core.windows.net,mode=max")]
    [DataRow("type=local,\"dest=/a,b\"", "type=local,\"dest=/a,b\"")]
    public void CacheToIsNormalized(string spec, string normalized) =>
        Assert.AreEqual(normalized, CacheSpec.Parse(spec, CacheDirection.To).ToString());

    [TestMethod]
    [DataRow("type=floppy,dest=/c", "To", "STV3001", "'type=floppy,dest=/c' has type 'floppy'")]
    [DataRow("type=inline", "From", "STV3001", "not a buildx cache-from backend")]
    [DataRow("ref=r/a", "To", "STV3002", "has no 'type'")]
    [DataRow("type=local,mode=max", "To", "STV3002", "has no 'dest'")]
    [DataRow("type=local,dest=/c", "From", "STV3003", "'dest' is not an option of the local cache-from backend")]
    [DataRow("type=registry,mode=max", "To", "STV3002", "has no 'ref'")]
    [DataRow("type=registry", "From", "STV3002", "has no 'ref'")]
    [DataRow("type=s3,bucket=b", "To", "STV3002", "has no 'region'")]
    [DataRow("type=s3,region=r", "From", "STV3002", "has no 'bucket'")]
    [DataRow("type=azblob,name=n", "To", "STV3002", "has no 'account_url'")]
    [DataRow("type=registry,ref=r/a,mode=max", "From", "STV3003", "'mode' is not an option")]
    [DataRow("type=registry,ref=r/a,colour=blue", "To", "STV3003", "'colour' is not an option of the registry cache-to backend")]
    [DataRow("type=gha,bucket=b", "To", "STV3003", "'bucket'")]
    [DataRow("type=registry,ref=r/a,mode=all", "To", "STV3004", "mode=all is not valid; use min or max")]
    [DataRow("type=registry,ref=r/a,ignore-error=yes", "To", "STV3004", "ignore-error=yes is not valid; use true or false")]
    [DataRow("type=local,dest=/c,compression=lz4", "To", "STV3004", "compression=lz4")]
    [DataRow("type=local,dest=/c,compression-level=99", "To", "STV3004", "compression-level=99")]
    [DataRow("type=registry,ref=https://r/a", "To", "STV3004", "ref=https://r/a")]
    [DataRow("type=registry,ref=r/a,ref=r/b", "To", "STV3004", "give it once")]
    [DataRow("type=local,dest=", "To", "STV3004", "give it a value")]
    [DataRow("type=inline,mode=max", "To", "STV3005", "inline cache only holds")]
    [DataRow("type=gha,scope=api,token=ghs_secret123", "To", "STV3006", "ACTIONS_RUNTIME_TOKEN")]
    [DataRow("type=gha,token=ghs_secret123", "From", "STV3006", "'token'")]
    [DataRow("type=s3,region=r,bucket=b,secret_access_key=ghs_secret123", "To", "STV3006", "AWS_SECRET_ACCESS_KEY")]
    [DataRow("type=s3,region=r,bucket=b,session_token=ghs_secret123", "From", "STV3006", "AWS_SESSION_TOKEN")]
    [DataRow("type=azblob,account_url=u,secret_access_key=ghs_secret123", "To", "STV3006", "AZURE_STORAGE_ACCOUNT_KEY")]
    public void BadSpecIsCodedError(string spec, string direction, string code, string part)
    {
        var error = Assert.ThrowsExactly<DiagnosticException>(() => CacheSpec.Parse(spec, Enum.Parse<CacheDirection>(direction)));
        StringAssert.StartsWith(error.Text, code + ": ");
        StringAssert.Contains(error.Text, part);
        Assert.DoesNotContain("ghs_secret123", error.Text, "a secret must never reach the log");
    }

    [TestMethod]
    public void SecretIsRedactedInTheMessage() =>
        StringAssert.Contains(Assert.ThrowsExactly<DiagnosticException>(() => CacheSpec.Parse("type=gha,scope=api,token=ghs_x", CacheDirection.To)).Text, "'type=gha,scope=api,token=***'");

    [TestMethod]
    public void ModeAndIgnoreErrorAreRead()
    {
        var spec = CacheSpec.Parse("type=registry,ref=r.example.com/a:b,mode=max,ignore-error=True", CacheDirection.To);
        Assert.IsTrue(spec.IsModeMax);
        Assert.IsTrue(spec.IgnoresErrors);
        Assert.AreEqual("r.example.com/a:b", spec.Location);
        Assert.IsFalse(spec.With("ignore-error", "false").IgnoresErrors);
    }
}
