using System.IO.Compression;
using System.Text;

namespace Stevedore.EndToEnd.Tests.Security;

/// <summary>Looks for a secret's bytes (UTF-8 and UTF-16) in files, blobs and binlogs, and says where it was found.</summary>
public sealed class LeakSearch(string secret)
{
    private readonly byte[][] forms = [Encoding.UTF8.GetBytes(secret), Encoding.Unicode.GetBytes(secret)];

    /// <summary>Where the secret was found: one line per place.</summary>
    public List<string> Found { get; } = [];

    /// <summary>How many places were searched (so a test can tell an empty search from a clean one).</summary>
    public int Searched { get; private set; }

    public void Search(string place, byte[] bytes)
    {
        Searched++;
        if (forms.Any(f => bytes.AsSpan().IndexOf(f) >= 0))
        {
            Found.Add(place);
        }
    }

    public void SearchFile(string path) => Search(path, File.ReadAllBytes(path));

    /// <summary>A binlog is a gzip stream of records; the project files it embeds are a zip inside it.</summary>
    public void SearchBinlog(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var records = new MemoryStream();
        gzip.CopyTo(records);
        var bytes = records.ToArray();
        Search(path, bytes);
        foreach (var (name, entry) in EmbeddedZipEntries(bytes))
        {
            Search($"{path} (embedded {name})", entry);
        }
    }

    // Each embedded archive ends with an end-of-central-directory record that says where the archive starts.
    private static IEnumerable<(string Name, byte[] Bytes)> EmbeddedZipEntries(byte[] bytes)
    {
        ReadOnlySpan<byte> end = [0x50, 0x4b, 0x05, 0x06];
        var entries = new List<(string, byte[])>();
        for (var at = bytes.AsSpan().IndexOf(end); at >= 0 && at + 22 <= bytes.Length;)
        {
            var directorySize = BitConverter.ToInt32(bytes, at + 12);
            var directoryOffset = BitConverter.ToInt32(bytes, at + 16);
            var commentLength = BitConverter.ToUInt16(bytes, at + 20);
            var start = at - directorySize - directoryOffset;
            var length = at + 22 + commentLength - start;
            if (start >= 0 && length > 0 && start + length <= bytes.Length)
            {
                using var zip = new ZipArchive(new MemoryStream(bytes, start, length), ZipArchiveMode.Read);
                foreach (var entry in zip.Entries)
                {
                    using var content = entry.Open();
                    using var copy = new MemoryStream();
                    content.CopyTo(copy);
                    entries.Add((entry.FullName, copy.ToArray()));
                }
            }

            var next = bytes.AsSpan(at + 4).IndexOf(end);
            at = next < 0 ? -1 : at + 4 + next;
        }

        return entries;
    }
}
