using System.Text;
using Stevedore.Tasks.Platforms;

namespace Stevedore.Tasks.Buildx;

/// <summary>
/// The exact `docker buildx build` argument list for one image. Pure: the task runs it, tests assert it.
/// Holds no secrets; those travel in the environment or as BuildKit secrets, never as arguments.
/// </summary>
internal sealed record BuildxCommand
{
    public required IReadOnlyList<ContainerPlatform> Platforms { get; init; }

    public required string DockerfilePath { get; init; }

    /// <summary>The build context root (the restore inputs' common ancestor).</summary>
    public required string ContextPath { get; init; }

    /// <summary>Full image references, one --tag each.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Push to the registry (ContainerRegistry set); otherwise the image is loaded into the engine.</summary>
    public bool Push { get; init; }

    /// <summary>Write an OCI archive here instead of pushing or loading.</summary>
    public string? ArchivePath { get; init; }

    /// <summary>--target: build only this stage (and what it needs).</summary>
    public string? Target { get; init; }

    /// <summary>Export the built stage's files into this folder (`--output type=local`) instead of an image.</summary>
    public string? LocalOutput { get; init; }

    /// <summary>ContainerImageFormat: true for OCI media types, false for Docker's, null for buildx's default.</summary>
    public bool? OciMediaTypes { get; init; }

    public IReadOnlyList<string> CacheFrom { get; init; } = [];

    public IReadOnlyList<string> CacheTo { get; init; } = [];

    /// <summary>BuildKit secrets as id=…,src=&lt;file&gt;: buildx reads the file; its contents are never an argument.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    public string? Builder { get; init; }

    /// <summary>
    /// A docker context whose engine builds (its docker-driver builder): buildx 0.13 refuses `--builder` naming another
    /// context's docker driver ("use docker --context=… buildx"), so the context goes before `buildx` instead.
    /// </summary>
    public string? DockerContext { get; init; }

    /// <summary>Network for RUN steps (`host` on engines without a bridge network).</summary>
    public string? Network { get; init; }

    public string? MetadataFile { get; init; }

    public string Progress { get; init; } = "plain";

    /// <summary>`--provenance` value (true, false, mode=min, mode=max); false by default so a pushed index holds exactly the platform images.</summary>
    public string Provenance { get; init; } = "false";

    /// <summary>`--sbom=true`: an SBOM attestation per platform (BuildKit runs the docker/buildkit-syft-scanner image).</summary>
    public bool Sbom { get; init; }

    /// <summary>The image's creation time (Unix seconds) for the exporter: config and history dates that follow the commit, not the clock.</summary>
    public string? SourceDateEpoch { get; init; }

    /// <summary>Clamp the layers' file times to <see cref="SourceDateEpoch"/> (BuildKit's rewrite-timestamp; not on the docker driver).</summary>
    public bool RewriteTimestamps { get; init; }

    /// <summary>
    /// Push by digest (ContainerPushByDigest): the image goes to <see cref="Repository"/> under its digest only, no tag
    /// moves; a merge (docker buildx imagetools create) later names the index the platforms' digests make.
    /// </summary>
    public bool PushByDigest { get; init; }

    /// <summary>The repository (registry/name, no tag) a push by digest goes to.</summary>
    public string? Repository { get; init; }

    /// <summary>
    /// The exporter: an OCI archive, a push by digest, a push or a load into the engine. `type=registry` and
    /// `type=docker` are what --push and --load stand for; bake takes the spec itself.
    /// </summary>
    public string Output()
    {
        // The epoch goes to the exporter, not in a build argument: a build argument would change with every commit
        // and take the cache of every step with it.
        var epoch = string.IsNullOrEmpty(SourceDateEpoch) ? string.Empty
            : ",source-date-epoch=" + SourceDateEpoch + (RewriteTimestamps ? ",rewrite-timestamp=true" : string.Empty);
        var mediaTypes = OciMediaTypes is { } oci ? ",oci-mediatypes=" + (oci ? "true" : "false") : string.Empty;
        if (!string.IsNullOrEmpty(LocalOutput))
        {
            return "type=local,dest=" + LocalOutput;
        }

        if (!string.IsNullOrEmpty(ArchivePath))
        {
            return "type=oci,dest=" + ArchivePath + epoch + mediaTypes;
        }

        if (PushByDigest)
        {
            return "type=image,name=" + Repository + ",push-by-digest=true,name-canonical=true,push=true" + epoch + mediaTypes;
        }

        if (Push && epoch.Length + mediaTypes.Length > 0)
        {
            return "type=image,push=true" + epoch + mediaTypes;
        }

        // What --load stands for, with the media types asked for.
        return mediaTypes.Length > 0 && !Push ? "type=docker" + mediaTypes : Push ? "type=registry" : "type=docker";
    }

    public IReadOnlyList<string> Arguments()
    {
        var args = new List<string>();
        if (!string.IsNullOrEmpty(DockerContext))
        {
            args.Add("--context");
            args.Add(DockerContext);
        }

        args.AddRange(["buildx", "build"]);
        if (!string.IsNullOrEmpty(Builder))
        {
            args.Add("--builder");
            args.Add(Builder);
        }

        args.Add("--progress=" + Progress);
        args.Add("--provenance=" + Provenance);
        if (Sbom)
        {
            args.Add("--sbom=true");
        }

        // No platform: the builder's own, e.g. for a stage that runs on the build platform anyway.
        if (Platforms.Count > 0)
        {
            args.Add("--platform");
            args.Add(string.Join(",", Platforms));
        }

        args.Add("--file");
        args.Add(DockerfilePath);
        if (!string.IsNullOrEmpty(Target))
        {
            args.Add("--target");
            args.Add(Target);
        }

        foreach (var tag in PushByDigest ? Array.Empty<string>() : Tags)
        {
            args.Add("--tag");
            args.Add(tag);
        }

        var output = Output();
        if (output == "type=registry" || output == "type=docker")
        {
            args.Add(Push ? "--push" : "--load");
        }
        else
        {
            args.Add("--output");
            args.Add(output);
        }

        foreach (var spec in CacheFrom)
        {
            args.Add("--cache-from");
            args.Add(spec);
        }

        foreach (var spec in CacheTo)
        {
            args.Add("--cache-to");
            args.Add(spec);
        }

        foreach (var secret in Secrets)
        {
            args.Add("--secret");
            args.Add(secret);
        }

        if (!string.IsNullOrEmpty(Network))
        {
            args.Add("--network");
            args.Add(Network);
        }

        if (!string.IsNullOrEmpty(MetadataFile))
        {
            args.Add("--metadata-file");
            args.Add(MetadataFile);
        }

        args.Add(ContextPath);
        return args;
    }

    /// <summary>The arguments as one line, quoted the way .NET's process start splits them back.</summary>
    public string ToCommandLine() => string.Join(' ', Arguments().Select(Quote));

    internal static string Quote(string arg)
    {
        if (arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '"' or '\''))
        {
            return arg;
        }

        var text = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in arg)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            // Backslashes before a quote are doubled, then the quote escaped (the Windows/.NET convention).
            text.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes);
            backslashes = 0;
            text.Append(c);
        }

        text.Append('\\', backslashes * 2).Append('"');
        return text.ToString();
    }
}
