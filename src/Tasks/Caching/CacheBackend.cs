namespace Stevedore.Tasks.Caching;

/// <summary>The options one buildx cache backend accepts, per direction (cache-from imports, cache-to exports).</summary>
internal sealed record CacheBackend(string Type, string[] From, string[] To, string[] RequiredFrom, string[] RequiredTo)
{
    private static readonly string[] ExportCommon = ["mode", "ignore-error"];
    private static readonly string[] Compression = ["compression", "compression-level", "force-compression", "oci-mediatypes", "image-manifest"];

    /// <summary>Secret options: buildx would log them with the command line; each names the variable that carries it instead.</summary>
    public static readonly IReadOnlyDictionary<string, string> Secrets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["token"] = "ACTIONS_RUNTIME_TOKEN",
        ["ghtoken"] = "GITHUB_TOKEN",
        ["secret_access_key"] = "AWS_SECRET_ACCESS_KEY (s3) or AZURE_STORAGE_ACCOUNT_KEY (azblob)",
        ["session_token"] = "AWS_SESSION_TOKEN",
    };

    /// <summary>Every backend of buildx 0.13 / BuildKit 0.13, with the options of its docs page.</summary>
    public static readonly IReadOnlyDictionary<string, CacheBackend> All = new[]
    {
        new CacheBackend("local", ["src", "digest", "tag"], ["dest", "tag", .. ExportCommon, .. Compression], ["src"], ["dest"]),
        new CacheBackend("registry", ["ref"], ["ref", .. ExportCommon, .. Compression], ["ref"], ["ref"]),
        new CacheBackend("inline", [], ["mode"], [], []),
        new CacheBackend("gha", ["scope", "url", "timeout", "version"], ["scope", "url", "timeout", "version", "repository", .. ExportCommon], [], []),
        new CacheBackend(
            "s3",
            ["region", "bucket", "name", "prefix", "blobs_prefix", "manifests_prefix", "endpoint_url", "use_path_style", "access_key_id"],
            ["region", "bucket", "name", "prefix", "blobs_prefix", "manifests_prefix", "endpoint_url", "use_path_style", "access_key_id", "touch_refresh", "upload_parallelism", .. ExportCommon],
            ["region", "bucket"],
            ["region", "bucket"]),
        new CacheBackend(
            "azblob",
            ["account_url", "name", "prefix", "blobs_prefix", "manifests_prefix"],
            ["account_url", "name", "prefix", "blobs_prefix", "manifests_prefix", "upload_parallelism", .. ExportCommon],
            ["account_url"],
            ["account_url"]),
    }.ToDictionary(b => b.Type, StringComparer.Ordinal);

    public string[] Keys(CacheDirection direction) => direction == CacheDirection.From ? From : To;

    public string[] Required(CacheDirection direction) => direction == CacheDirection.From ? RequiredFrom : RequiredTo;
}
