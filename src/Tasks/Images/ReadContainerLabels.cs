using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Stevedore.Tasks.Diagnostics;

namespace Stevedore.Tasks.Images;

/// <summary>ContainerLabels (`key=value` lines, e.g. docker/metadata-action's `labels` output) → ContainerLabel items.</summary>
public sealed class ReadContainerLabels : StevedoreTask
{
    /// <summary>ContainerLabels: one `key=value` a line, or `;`-separated on one line.</summary>
    public string? Lines { get; set; }

    /// <summary>One item per label: Include is the key, metadata Value the value.</summary>
    [Output]
    public ITaskItem[] Labels { get; private set; } = [];

    protected override void Run() =>
        Labels = ContainerLabelLines.Parse(Lines).Select(Item).ToArray();

    private static ITaskItem Item(KeyValuePair<string, string> label)
    {
        var item = new TaskItem(label.Key);
        // Literal: a description's '%' or ';' reaches the LABEL line as written.
        ((ITaskItem2)item).SetMetadataValueLiteral("Value", label.Value);
        return item;
    }
}
