using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Workspace;

namespace Pipelines.Signing;

/// <summary>
/// What a signature depends on, for the Sign target's cache: the image digest, the key (by its public
/// fingerprint), the annotations, and the SBOM and scan verdict it attests (provenance is left out: it only
/// records when and where a run happened). A cached signing holds while the registry still has a signature by
/// that key over that digest, with the annotations, and every attestation the run attached — checked with
/// <see cref="SignatureVerifier"/>.
/// </summary>
internal static class SignInputs
{
    /// <summary>Where the Sign target records its <see cref="SignedImage"/> in the state.</summary>
    public const string StateKey = nameof(SignedImage);

    /// <summary>Adds the signing's inputs to the fingerprint.</summary>
    public static void Declare(Fingerprint inputs, SignRequest request, VerificationKey publicKey)
    {
        inputs.Add("image", request.Image.WithoutTagOrDigest() + "@" + request.Image.Digest)
            .Add("key", publicKey.Fingerprint)
            .Add("annotations", request.Annotations)
            .Add("sbom", request.Sbom?.ToJsonString())
            .Add("scan", request.ScanResults?.ToJsonString());
        if (request.Image.Digest is null) inputs.NotCacheable("the image has no digest");
    }

    /// <summary>
    /// The public key of the key Sign would use: the configured one, else the development key, which a laptop run
    /// creates when missing, as Sign would. Null when there is no key to sign with (Sign then fails with its own message).
    /// </summary>
    public static async Task<VerificationKey?> PublicKeyOfAsync(SignRequest request, ILog log, CancellationToken cancellationToken)
    {
        if (request.Key is { Length: > 0 } configured)
        {
            using var key = SigningKey.Load(configured, request.Password);
            return key.PublicKey;
        }
        if (!request.AllowDevelopmentKey) return null;
        var privatePath = Path.Combine(request.DevelopmentKeyDirectory, CosignKeyPairWriter.PrivateKeyFile);
        var publicPath = Path.Combine(request.DevelopmentKeyDirectory, CosignKeyPairWriter.PublicKeyFile);
        if (!File.Exists(privatePath))
            await new CosignKeyPairWriter(log).WriteAsync(request.DevelopmentKeyDirectory, request.Password, cancellationToken);
        return File.Exists(publicPath) ? VerificationKey.Load(publicPath, "the development key") : null;
    }

    /// <summary>Null while the registry still holds what the cached run signed and attested; else why not.</summary>
    public static async Task<string?> StillSignedAsync(CachedRun run, SignatureVerifier verifier, VerificationKey key,
        IReadOnlyDictionary<string, string>? annotations, CancellationToken cancellationToken, string recordKey = StateKey)
    {
        if (run.Record<SignedImage>(recordKey) is not { } signed) return "the cached run recorded no signed image";
        var policy = new VerificationPolicy(signed.Attestations, annotations);
        var result = await verifier.VerifyAsync(ImageReference.Parse(signed.Image), key, policy, cancellationToken);
        return result.Verified ? null : result.Summary;
    }
}
