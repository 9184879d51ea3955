namespace Pipelines.Signing;

/// <summary>One layer descriptor of a <c>.sig</c> or <c>.att</c> manifest: a payload blob and its annotations.</summary>
/// <param name="MediaType">The simple-signing or DSSE media type (other types are kept as found).</param>
/// <param name="Size">Blob size in bytes.</param>
/// <param name="Digest">Blob digest, which is also its diff_id (cosign's layers are uncompressed).</param>
/// <param name="Annotations">The layer annotations; <c>dev.cosignproject.cosign/signature</c> holds the signature.</param>
internal sealed record CosignLayer(string MediaType, long Size, string Digest, IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>The annotation holding the base64 signature (empty on attestation layers).</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    /// <summary>The annotation naming an attestation layer's predicate type.</summary>
    public const string PredicateTypeAnnotation = "predicateType";

    /// <summary>The annotation value, or <c>null</c>.</summary>
    public string? Annotation(string key) => Annotations.TryGetValue(key, out var value) ? value : null;
}
