using Humanizer;

namespace Common;

public static class Words
{
    public static string Say(string pascal) => pascal.Humanize();
}
