using Pipelines.Oci;
using Pipelines.Workspace;

namespace Pipelines.Signing;

/// <summary>
/// Checks an image's cosign signatures and attestations against a public key, as
/// <c>cosign verify --key --insecure-ignore-tlog</c> and <c>cosign verify-attestation</c> do, plus the
/// stricter <c>type</c> check containers/image makes. Deploy calls it to refuse unsigned images.
/// </summary>
internal sealed class SignatureVerifier(ISignatureStore store)
{
    /// <summary>Reads <c>sha256-&lt;hex&gt;.sig</c> (and <c>.att</c>) for the image's digest and checks every layer.</summary>
    /// <param name="image">The image, pinned by digest.</param>
    /// <param name="key">The public key signatures must verify with.</param>
    /// <param name="policy">Required attestations and annotations.</param>
    public async Task<VerificationResult> VerifyAsync(
        ImageReference image, VerificationKey key, VerificationPolicy policy, CancellationToken cancellationToken)
    {
        var digest = image.Digest ?? throw new PipelineException($"The image {image} has no digest; verify an image by digest (--image <repository>@sha256:<hex>).");
        var signatures = await CheckSignaturesAsync(image, digest, key, policy, cancellationToken);
        var attestations = await CheckAttestationsAsync(image, digest, key, cancellationToken);
        var missing = (policy.RequiredPredicateTypes ?? [])
            .Where(type => !attestations.Any(a => a.Verified && a.PredicateType == type))
            .ToList();
        return new VerificationResult(image, key.Fingerprint, signatures, attestations, missing);
    }

    private async Task<IReadOnlyList<SignatureCheck>> CheckSignaturesAsync(
        ImageReference image, string digest, VerificationKey key, VerificationPolicy policy, CancellationToken cancellationToken)
    {
        var location = image.WithoutTagOrDigest().WithTag(CosignManifest.TagFor(digest, "sig"));
        var checks = new List<SignatureCheck>();
        var manifest = await ReadAsync(location, cancellationToken);
        foreach (var (layer, index) in manifest.Layers.Select((l, i) => (l, i)))
        {
            var (outcome, reason) = await CheckSignatureAsync(location, layer, digest, key, policy, cancellationToken);
            checks.Add(new SignatureCheck(index, layer.Digest, outcome, reason));
        }
        return checks;
    }

    private async Task<(CheckOutcome, string)> CheckSignatureAsync(
        ImageReference location, CosignLayer layer, string digest, VerificationKey key, VerificationPolicy policy, CancellationToken cancellationToken)
    {
        if (layer.MediaType != SimpleSigningPayload.MediaType)
            return (CheckOutcome.WrongType, $"layer media type is '{layer.MediaType}', not a simple-signing payload");
        if (CosignSigner.TryBase64(layer.Annotation(CosignLayer.SignatureAnnotation)) is not { } signature)
            return (CheckOutcome.Malformed, $"the {CosignLayer.SignatureAnnotation} annotation is missing or not base64");
        var payload = await store.GetBlobAsync(location, layer.Digest, cancellationToken);
        if (!key.Verify(payload, signature))
            return (CheckOutcome.SignatureMismatch, "signature does not match key");

        // Claims are checked only once the signature holds: an unsigned payload proves nothing.
        SimpleSigningPayload claims;
        string? type;
        try { (claims, type) = SimpleSigningPayload.Parse(payload); }
        catch (FormatException e) { return (CheckOutcome.Malformed, $"signed payload is malformed ({e.Message})"); }
        if (type != SimpleSigningPayload.SignatureType)
            return (CheckOutcome.WrongType, $"payload type is '{type}', not '{SimpleSigningPayload.SignatureType}'");
        if (claims.ManifestDigest != digest)
            return (CheckOutcome.WrongDigest, $"payload is for another digest ({claims.ManifestDigest})");
        foreach (var (name, value) in policy.RequiredAnnotations ?? new Dictionary<string, string>())
            if (claims.Annotations?.GetValueOrDefault(name) != value)
                return (CheckOutcome.AnnotationMismatch, $"annotation {name} is '{claims.Annotations?.GetValueOrDefault(name)}', required '{value}'");
        return (CheckOutcome.Verified, "verified");
    }

    private async Task<IReadOnlyList<AttestationCheck>> CheckAttestationsAsync(
        ImageReference image, string digest, VerificationKey key, CancellationToken cancellationToken)
    {
        var location = image.WithoutTagOrDigest().WithTag(CosignManifest.TagFor(digest, "att"));
        var checks = new List<AttestationCheck>();
        var manifest = await ReadAsync(location, cancellationToken);
        foreach (var (layer, index) in manifest.Layers.Select((l, i) => (l, i)))
        {
            var (outcome, reason, predicateType, predicate) = await CheckAttestationAsync(location, layer, digest, key, cancellationToken);
            checks.Add(new AttestationCheck(index, layer.Digest, predicateType, outcome, reason) { Predicate = predicate });
        }
        return checks;
    }

    private async Task<(CheckOutcome, string, string?, System.Text.Json.Nodes.JsonNode?)> CheckAttestationAsync(
        ImageReference location, CosignLayer layer, string digest, VerificationKey key, CancellationToken cancellationToken)
    {
        var annotated = layer.Annotation(CosignLayer.PredicateTypeAnnotation);
        if (layer.MediaType != DsseEnvelope.MediaType)
            return (CheckOutcome.WrongType, $"layer media type is '{layer.MediaType}', not a DSSE envelope", annotated, null);
        var blob = await store.GetBlobAsync(location, layer.Digest, cancellationToken);
        DsseEnvelope envelope;
        try { envelope = DsseEnvelope.Parse(blob); }
        catch (FormatException e) { return (CheckOutcome.Malformed, $"envelope is malformed ({e.Message})", annotated, null); }
        if (envelope.PayloadType != DsseEnvelope.InTotoPayloadType)
            return (CheckOutcome.WrongType, $"payloadType is '{envelope.PayloadType}', not '{DsseEnvelope.InTotoPayloadType}'", annotated, null);
        if (!envelope.VerifiedBy(key))
            return (CheckOutcome.SignatureMismatch, "signature does not match key", annotated, null);

        InTotoStatement statement;
        try { statement = InTotoStatement.Parse(envelope.Payload); }
        catch (FormatException e) { return (CheckOutcome.Malformed, $"signed statement is malformed ({e.Message})", annotated, null); }
        // The signed predicate type counts, not the unsigned layer annotation.
        if (!statement.Subjects.Any(s => "sha256:" + s.Sha256 == digest))
            return (CheckOutcome.WrongDigest, $"statement is for another digest ({string.Join(", ", statement.Subjects.Select(s => "sha256:" + s.Sha256))})", statement.PredicateType, null);
        return (CheckOutcome.Verified, "verified", statement.PredicateType, statement.Predicate);
    }

    private async Task<CosignManifest> ReadAsync(ImageReference location, CancellationToken cancellationToken)
    {
        var bytes = await store.GetManifestAsync(location, cancellationToken);
        if (bytes is null) return CosignManifest.Empty;
        try { return CosignManifest.Parse(bytes); }
        catch (FormatException) { return CosignManifest.Empty; }
    }
}
