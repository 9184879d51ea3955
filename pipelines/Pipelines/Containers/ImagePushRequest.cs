using Pipelines.Oci;
namespace Pipelines.Containers;

/// <summary>An image the Docker daemon holds, to push through the registry client.</summary>
/// <param name="Repository">Where to push: registry and repository, no tag.</param>
/// <param name="Tags">The tags to store the manifest under.</param>
/// <param name="ConfigDigest">The image's config digest (the daemon's image ID).</param>
/// <param name="LayerDiffIds">The uncompressed layers' digests, base first (<c>RootFS.Layers</c>).</param>
/// <param name="OpenTarball">Opens the image as <c>docker save</c> writes it (<c>GET /images/{name}/get</c>); called only when the registry lacks a blob.</param>
internal sealed record ImagePushRequest(
    ImageReference Repository,
    IReadOnlyList<string> Tags,
    string ConfigDigest,
    IReadOnlyList<string> LayerDiffIds,
    Func<CancellationToken, Task<Stream>> OpenTarball);
