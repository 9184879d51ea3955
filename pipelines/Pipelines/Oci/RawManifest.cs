
namespace Pipelines.Oci;

/// <summary>
/// A manifest exactly as stored: its bytes (the digest covers them), media type and digest.
/// Parse with <see cref="ParseManifest"/> or <see cref="ParseIndex"/>; to change it, build a new one with <see cref="From(OciManifest)"/>.
/// </summary>
internal sealed record RawManifest(string MediaType, string Digest, byte[] Content)
{
    /// <summary>Media type, digest and size.</summary>
    public ManifestDescriptor Descriptor => new(MediaType, Digest, Content.LongLength);

    /// <summary>True for an index or manifest list.</summary>
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>The content as an image manifest.</summary>
    public OciManifest ParseManifest()
    {
        if (IsIndex) throw new PipelineException($"Manifest {Digest} is an index ({MediaType}), not an image manifest: pick one platform's manifest from it.");
        return OciJson.Deserialize<OciManifest>(Content, $"Manifest {Digest}");
    }

    /// <summary>The content as an index or manifest list.</summary>
    public OciIndex ParseIndex()
    {
        if (!IsIndex) throw new PipelineException($"Manifest {Digest} is an image manifest ({MediaType}), not an index.");
        return OciJson.Deserialize<OciIndex>(Content, $"Index {Digest}");
    }

    /// <summary>Serializes <paramref name="manifest"/> and computes its digest.</summary>
    public static RawManifest From(OciManifest manifest) =>
        FromBytes(manifest.MediaType ?? MediaTypes.OciManifest, OciJson.Serialize(manifest));

    /// <summary>Serializes <paramref name="index"/> and computes its digest.</summary>
    public static RawManifest From(OciIndex index) =>
        FromBytes(index.MediaType ?? MediaTypes.OciIndex, OciJson.Serialize(index));

    /// <summary>Wraps bytes written elsewhere (for example byte-exact cosign layouts).</summary>
    public static RawManifest FromBytes(string mediaType, byte[] content) => new(mediaType, Oci.Digest.Compute(content), content);
}
