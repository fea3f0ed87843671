using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Images;

/// <summary>
/// Pushes the one image of a single-platform OCI archive to a repository by digest, through the distribution API:
/// every blob (skipped when the registry has it), then the manifest under its digest; no tag is written. For
/// ContainerPushByDigest on buildx's docker driver, which cannot push by digest itself (buildx 0.13: "push-by-digest
/// is currently not implemented for docker driver"). Anonymous: a registry that asks for credentials is STV1409.
/// </summary>
internal sealed class ArchivePush(HttpMessageHandler handler) : IDisposable
{
    private readonly RegistryClient http = new(handler, TimeSpan.FromMinutes(10));

    public ArchivePush()
        : this(new HttpClientHandler { AllowAutoRedirect = true })
    {
    }

    public void Dispose() => http.Dispose();

    /// <summary>Pushes <paramref name="archive"/>'s image to <paramref name="repository"/> (registry/name); returns the manifest digest.</summary>
    public string Push(string archive, string repository)
    {
        var address = RegistryAddress.For(ImageReference.Parse(repository, "ContainerRepository"));
        try
        {
            var small = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            using (var stream = File.OpenRead(archive))
            using (var reader = new TarReader(stream))
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    if (entry.DataStream is null)
                    {
                        continue; // a folder
                    }

                    var name = entry.Name.TrimStart('.', '/');
                    if (name == "index.json" || entry.Length < 1 << 20)
                    {
                        using var copy = new MemoryStream();
                        entry.DataStream.CopyTo(copy);
                        small[name] = copy.ToArray();
                        if (name.StartsWith("blobs/sha256/", StringComparison.Ordinal))
                        {
                            PushBlob(address, "sha256:" + name["blobs/sha256/".Length..], new ByteArrayContent(small[name]), repository);
                        }
                    }
                    else if (name.StartsWith("blobs/sha256/", StringComparison.Ordinal))
                    {
                        PushBlob(address, "sha256:" + name["blobs/sha256/".Length..], new StreamContent(entry.DataStream), repository);
                    }
                }
            }

            using var layout = JsonDocument.Parse(small["index.json"]);
            var top = layout.RootElement.GetProperty("manifests")[0];
            var digest = top.GetProperty("digest").GetString()!;
            var mediaType = top.GetProperty("mediaType").GetString()!;
            using var content = new ByteArrayContent(small["blobs/sha256/" + digest["sha256:".Length..]]);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            using var response = http.Send(HttpMethod.Put, address.Manifest(digest), content);
            Ensure(response, repository, "putting the manifest");
            return digest;
        }
        catch (Exception e) when (RegistryClient.Unreachable(e) || e is InvalidDataException or JsonException or KeyNotFoundException)
        {
            throw new DiagnosticException("ArchivePushFailed", repository, e.Message);
        }
    }

    private void PushBlob(RegistryAddress address, string digest, HttpContent content, string repository)
    {
        using (content)
        {
            using (var head = http.Send(HttpMethod.Head, new Uri(address.BaseUri, $"v2/{address.Repository}/blobs/{digest}")))
            {
                if (head.IsSuccessStatusCode)
                {
                    return; // the registry has it: layers the base image shares are not sent again
                }
            }

            using var start = http.Send(HttpMethod.Post, new Uri(address.BaseUri, $"v2/{address.Repository}/blobs/uploads/"));
            Ensure(start, repository, "starting a blob upload");
            var location = start.Headers.Location ?? throw new HttpRequestException("no upload location");
            var upload = location.IsAbsoluteUri ? location : new Uri(address.BaseUri, location);
            var separator = upload.Query.Length > 0 ? "&" : "?";
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var put = http.Send(HttpMethod.Put, new Uri(upload + separator + "digest=" + Uri.EscapeDataString(digest)), content);
            Ensure(put, repository, "uploading " + digest);
        }
    }

    private static void Ensure(HttpResponseMessage response, string repository, string what)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new DiagnosticException("ArchivePushRefused", repository, (int)response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }
}
