using Humanizer;

namespace Greetings;

/// <summary>Says hello in words, so the sample needs a real third-party package at run time.</summary>
public static class Greeter
{
    /// <summary>For example "Dotnet api ships two platforms".</summary>
    public static string Greet(string service, int platforms) =>
        $"{service.Humanize(LetterCasing.Sentence)} ships {"platform".ToQuantity(platforms, ShowQuantityAs.Words)}";
}
