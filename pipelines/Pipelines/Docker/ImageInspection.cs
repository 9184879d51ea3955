namespace Pipelines.Docker;

/// <summary>What <c>GET /images/{name}/json</c> says about an image, the parts the toolkit reads.</summary>
internal sealed record ImageInspection(
    string Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Layers)
{
    /// <summary>The image's ENTRYPOINT; empty when it has none.</summary>
    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    /// <summary>The image's CMD; empty when it has none.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>The image's USER (a name or uid[:gid]); empty: root.</summary>
    public string User { get; init; } = "";
}
