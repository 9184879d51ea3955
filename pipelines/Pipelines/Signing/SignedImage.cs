namespace Pipelines.Signing;

/// <summary>The result of the Sign target, recorded in the pipeline state for Deploy and for later runs.</summary>
/// <param name="Image">The signed image, <c>repository@sha256:…</c>.</param>
/// <param name="Digest">The signed manifest digest.</param>
/// <param name="SignatureReference">Where the signature lives: <c>repository:sha256-&lt;hex&gt;.sig</c>.</param>
/// <param name="AttestationReference">Where the attestations live, or <c>null</c> when none were attached.</param>
/// <param name="KeyFingerprint">The signing key's public fingerprint (never the key).</param>
/// <param name="PublicKeyPath">The matching <c>cosign.pub</c> when the key came from a directory we manage.</param>
/// <param name="Attestations">Predicate types attached.</param>
/// <param name="Added">False when the image was already signed by this key (nothing changed).</param>
internal sealed record SignedImage(
    string Image,
    string Digest,
    string SignatureReference,
    string? AttestationReference,
    string KeyFingerprint,
    string? PublicKeyPath,
    IReadOnlyList<string> Attestations,
    bool Added);
