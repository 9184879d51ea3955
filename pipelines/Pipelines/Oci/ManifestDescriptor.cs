
namespace Pipelines.Oci;

/// <summary>What a registry says about a stored manifest: its media type, digest and size.</summary>
/// <param name="MediaType">The manifest's media type (from <c>Content-Type</c>).</param>
/// <param name="Digest">The digest of the manifest bytes (<c>Docker-Content-Digest</c>, checked or computed).</param>
/// <param name="Size">The manifest's length in bytes.</param>
internal sealed record ManifestDescriptor(string MediaType, string Digest, long Size)
{
    /// <summary>As an OCI descriptor (for an index entry or a <c>subject</c>).</summary>
    public Descriptor ToDescriptor(string? artifactType = null, IReadOnlyDictionary<string, string>? annotations = null) =>
        new() { MediaType = MediaType, Digest = Digest, Size = Size, ArtifactType = artifactType, Annotations = annotations };
}
