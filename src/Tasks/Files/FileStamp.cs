namespace Stevedore.Tasks.Files;

/// <summary>A file's write time and length as one text ("missing" when it is not there): what a cache across publishes compares to see it changed.</summary>
internal static class FileStamp
{
    public static string Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.LastWriteTimeUtc.Ticks + ":" + info.Length : "missing";
    }
}
