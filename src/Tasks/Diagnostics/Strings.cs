using System.Resources;

namespace Stevedore.Tasks.Diagnostics;

/// <summary>The Strings.resx resources that every Stevedore task logs from.</summary>
internal static class Strings
{
    /// <summary>The resource manager handed to each task, so LogErrorWithCodeFromResources finds the STV texts.</summary>
    public static ResourceManager Manager { get; } = new("Stevedore.Tasks.Diagnostics.Strings", typeof(Strings).Assembly);

    /// <summary>The raw text of one resource.</summary>
    public static string Get(string name) =>
        Manager.GetString(name, System.Globalization.CultureInfo.InvariantCulture)
        ?? throw new InvalidOperationException("Missing resource " + name);
}
