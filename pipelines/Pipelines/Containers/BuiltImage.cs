using System.Text.Json.Serialization;

namespace Pipelines.Containers;

/// <summary>The image Containerize built (and pushed).</summary>
/// <param name="Repository">Registry and repository, e.g. <c>127.0.0.1:5000/shortlink</c>.</param>
/// <param name="Tags">The tags applied, the short commit first.</param>
/// <param name="Digest">The manifest digest the registry stored (<c>sha256:…</c>); null when not pushed.</param>
/// <param name="ImageId">The daemon's image ID (the config digest).</param>
internal sealed record BuiltImage(string Repository, IReadOnlyList<string> Tags, string? Digest, string ImageId)
{
    /// <summary>Where Containerize records it in the pipeline state.</summary>
    public const string StateKey = "image";

    /// <summary><c>repository:tag</c> with the first (commit) tag: what Tekton Chains reads as IMAGE_URL.</summary>
    [JsonIgnore]
    public string Url => $"{Repository}:{Tags[0]}";

    /// <summary><c>repository@digest</c>: the immutable reference to deploy; the URL when the image was not pushed.</summary>
    [JsonIgnore]
    public string Reference => Digest is null ? Url : $"{Repository}@{Digest}";
}
