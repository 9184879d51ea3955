using System.Text.Json.Nodes;
using Pipelines.Logging;
using Pipelines.Oci;

namespace Pipelines.Signing;

/// <summary>
/// Signs images and attaches attestations the way <c>cosign sign --key</c> / <c>cosign attest --key</c>
/// do with the classic tag layout (<c>sha256-&lt;hex&gt;.sig</c> / <c>.att</c>), so that cosign,
/// Kyverno and policy-controller verify the result. No cosign binary is needed.
/// </summary>
internal sealed class CosignSigner(ISignatureStore store, ILog log)
{
    /// <summary>
    /// Signs the image's digest and appends the signature to its <c>.sig</c> manifest. Signing the same
    /// payload again with the same key adds nothing (ECDSA signatures are randomized, so identity is
    /// payload plus verifying key, not signature bytes).
    /// </summary>
    /// <param name="image">The image, pinned by digest.</param>
    /// <param name="key">The signing key.</param>
    /// <param name="annotations">The payload's <c>optional</c> map (<c>cosign sign -a k=v</c>).</param>
    public async Task<AttachedArtifact> SignAsync(
        ImageReference image, SigningKey key, IReadOnlyDictionary<string, string>? annotations, CancellationToken cancellationToken)
    {
        var digest = RequireDigest(image);
        var payload = new SimpleSigningPayload(DockerReference(image), digest, annotations).ToBytes();
        var payloadDigest = Digest.Compute(payload);
        var location = image.WithoutTagOrDigest().WithTag(CosignManifest.TagFor(digest, "sig"));
        var existing = await ReadAsync(location, cancellationToken);

        var duplicate = existing.Layers.Any(l =>
            l.MediaType == SimpleSigningPayload.MediaType && l.Digest == payloadDigest
            && TryBase64(l.Annotation(CosignLayer.SignatureAnnotation)) is { } signature
            && key.PublicKey.Verify(payload, signature));
        if (duplicate)
        {
            log.Info($"{image} is already signed by this key with the same payload; {location} is unchanged.");
            return new AttachedArtifact(image, location, payloadDigest, Added: false, existing.Layers.Count);
        }

        var layer = new CosignLayer(SimpleSigningPayload.MediaType, payload.Length, payloadDigest,
            new Dictionary<string, string> { [CosignLayer.SignatureAnnotation] = Convert.ToBase64String(key.Sign(payload)) });
        var updated = await WriteAsync(location, existing.Append(layer), payload, cancellationToken);
        log.Info($"Signed {image}: {location} now holds {updated.Layers.Count} signature(s).");
        return new AttachedArtifact(image, location, payloadDigest, Added: true, updated.Layers.Count);
    }

    /// <summary>
    /// Wraps a predicate in an in-toto statement about the image, signs it as a DSSE envelope and
    /// appends it to the image's <c>.att</c> manifest. An identical statement by the same key is not added twice.
    /// </summary>
    public async Task<AttachedArtifact> AttestAsync(
        ImageReference image, SigningKey key, string predicateType, JsonNode predicate, CancellationToken cancellationToken)
    {
        var digest = RequireDigest(image);
        var statement = new InTotoStatement([new InTotoSubject(DockerReference(image), Digest.Hex(digest))], predicateType, predicate).ToBytes();
        var location = image.WithoutTagOrDigest().WithTag(CosignManifest.TagFor(digest, "att"));
        var existing = await ReadAsync(location, cancellationToken);

        foreach (var candidate in existing.Layers.Where(l => l.MediaType == DsseEnvelope.MediaType && l.Annotation(CosignLayer.PredicateTypeAnnotation) == predicateType))
        {
            var blob = await store.GetBlobAsync(location, candidate.Digest, cancellationToken);
            DsseEnvelope found;
            try { found = DsseEnvelope.Parse(blob); }
            catch (FormatException) { continue; }
            if (found.Payload.AsSpan().SequenceEqual(statement) && found.VerifiedBy(key.PublicKey))
            {
                log.Info($"{image} already has this {predicateType} attestation by this key; {location} is unchanged.");
                return new AttachedArtifact(image, location, candidate.Digest, Added: false, existing.Layers.Count);
            }
        }

        var envelope = DsseEnvelope.Sign(DsseEnvelope.InTotoPayloadType, statement, key).ToBytes();
        var layer = new CosignLayer(DsseEnvelope.MediaType, envelope.Length, Digest.Compute(envelope),
            new Dictionary<string, string>
            {
                // Cosign writes an empty signature annotation on attestation layers; the signature is in the envelope.
                [CosignLayer.SignatureAnnotation] = "",
                [CosignLayer.PredicateTypeAnnotation] = predicateType,
            });
        var updated = await WriteAsync(location, existing.Append(layer), envelope, cancellationToken);
        log.Info($"Attested {image} with {predicateType}: {location} now holds {updated.Layers.Count} attestation(s).");
        return new AttachedArtifact(image, location, layer.Digest, Added: true, updated.Layers.Count);
    }

    /// <summary>
    /// cosign's <c>docker-reference</c>: the repository with its registry, no tag or digest. Docker Hub
    /// is spelled <c>index.docker.io</c>, as go-containerregistry names it.
    /// </summary>
    public static string DockerReference(ImageReference image) =>
        image.Registry == ImageReference.DockerHub ? $"index.docker.io/{image.Repository}" : image.RepositoryUrl;

    private static string RequireDigest(ImageReference image) =>
        image.Digest ?? throw new PipelineException($"The image {image} has no digest; sign an image by digest (--image <repository>@sha256:<hex>, or run Containerize first).");

    private async Task<CosignManifest> ReadAsync(ImageReference location, CancellationToken cancellationToken)
    {
        var bytes = await store.GetManifestAsync(location, cancellationToken);
        if (bytes is null) return CosignManifest.Empty;
        try { return CosignManifest.Parse(bytes); }
        catch (FormatException e)
        {
            throw new PipelineException($"{location} exists but is not an image manifest ({e.Message}); it is not cosign's layout. Delete the tag or choose another repository.");
        }
    }

    /// <summary>Blobs first, the manifest last: a failure leaves the tag as it was.</summary>
    private async Task<CosignManifest> WriteAsync(ImageReference location, CosignManifest manifest, byte[] newBlob, CancellationToken cancellationToken)
    {
        var config = manifest.RenderConfig();
        await store.PushBlobAsync(location, newBlob, cancellationToken);
        await store.PushBlobAsync(location, config, cancellationToken);
        await store.PutManifestAsync(location, manifest.RenderManifest(config), CosignManifest.MediaType, cancellationToken);
        return manifest;
    }

    internal static byte[]? TryBase64(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { return null; }
    }
}
