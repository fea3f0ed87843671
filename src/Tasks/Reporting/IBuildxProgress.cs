namespace Stevedore.Tasks.Reporting;

/// <summary>
/// buildx's rawjson progress read as it arrives: a build's (<see cref="BuildProgress"/>) or a bake's, split per target
/// (<see cref="BakeProgress"/>). <see cref="Buildx.BuildxRunner"/> feeds either the same way.
/// </summary>
internal interface IBuildxProgress
{
    /// <summary>Feeds one output line; returns plain-progress log lines for the steps it started or finished.</summary>
    IReadOnlyList<string> Add(string line);

    /// <summary>The vertices that finished since the last call.</summary>
    IReadOnlyList<BuildVertex> TakeFinished();
}
