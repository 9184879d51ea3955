namespace Pipelines.TektonLocal;

/// <summary>The image steps that name the runner image run in, and the host paths it needs mounted.</summary>
/// <param name="Image">The local image (a tag).</param>
/// <param name="Binds">Read-only host mounts (host:container:ro) the image relies on; empty for a built image.</param>
/// <param name="Description">What the log says about where it came from.</param>
internal sealed record RunnerChoice(string Image, IReadOnlyList<string> Binds, string Description)
{
    /// <summary>Variables a step in this image gets unless it sets them itself (PATH with the mounted validators).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The substitute value that means "the runner image".</summary>
    public const string HostTools = "runner";
}
