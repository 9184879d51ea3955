using Pipelines.Logging;
using Pipelines.Workspace;

namespace Pipelines.Signing;

/// <summary>
/// The Sign target's job: pick the key (the configured one, or a local development key), sign the
/// image, and attach its provenance and SBOM as attestations.
/// </summary>
internal sealed class ReleaseSigner(CosignSigner signer, ILog log)
{
    /// <summary>Signs and attests; returns what was recorded.</summary>
    public async Task<SignedImage> SignAsync(SignRequest request, CancellationToken cancellationToken)
    {
        var (key, publicKeyPath) = await LoadKeyAsync(request, cancellationToken);
        using (key)
        {
            var signature = await signer.SignAsync(request.Image, key, request.Annotations, cancellationToken);
            var attached = new List<string>();
            string? attestationReference = null;
            if (request.Provenance is { } provenance)
            {
                var result = await signer.AttestAsync(request.Image, key, PredicateTypes.SlsaProvenanceV1, provenance.ToPredicate(), cancellationToken);
                attached.Add(PredicateTypes.SlsaProvenanceV1);
                attestationReference = result.Location.ToString();
            }
            if (request.Sbom is { } sbom)
            {
                var result = await signer.AttestAsync(request.Image, key, PredicateTypes.CycloneDx, sbom, cancellationToken);
                attached.Add(PredicateTypes.CycloneDx);
                attestationReference = result.Location.ToString();
            }
            if (request.ScanResults is { } scan)
            {
                var result = await signer.AttestAsync(request.Image, key, PredicateTypes.Vulnerability, scan, cancellationToken);
                attached.Add(PredicateTypes.Vulnerability);
                attestationReference = result.Location.ToString();
            }
            return new SignedImage(
                request.Image.WithoutTagOrDigest() + "@" + request.Image.Digest,
                request.Image.Digest!,
                signature.Location.ToString(),
                attestationReference,
                key.PublicKey.Fingerprint,
                publicKeyPath,
                attached,
                signature.Added);
        }
    }

    /// <summary>
    /// Attaches a scan verdict, a failing one too, as a signed vulnerability attestation with the key Sign would use,
    /// so another machine's Deploy sees that the image failed its scan even without this state file.
    /// </summary>
    public async Task<string> AttestScanAsync(SignRequest request, System.Text.Json.Nodes.JsonNode scan, CancellationToken cancellationToken)
    {
        var (key, _) = await LoadKeyAsync(request, cancellationToken);
        using (key)
        {
            var result = await signer.AttestAsync(request.Image, key, PredicateTypes.Vulnerability, scan, cancellationToken);
            return result.Location.ToString();
        }
    }

    private async Task<(SigningKey Key, string? PublicKeyPath)> LoadKeyAsync(SignRequest request, CancellationToken cancellationToken)
    {
        if (request.Key is { Length: > 0 } configured)
        {
            var key = SigningKey.Load(configured, request.Password);
            var beside = File.Exists(configured) ? Path.ChangeExtension(configured, ".pub") : null;
            return (key, beside is not null && File.Exists(beside) ? beside : null);
        }

        if (!request.AllowDevelopmentKey)
            throw new PipelineException("No signing key: pass --signing-key (PIPELINE_SIGNING_KEY in CI: a cosign.key file or its PEM) and --signing-key-password. " +
                                        "A development key is generated only on a laptop, never in CI.");

        // No key configured: a laptop run. Use (or make) a development key, and say loudly what it is.
        var directory = request.DevelopmentKeyDirectory;
        var privatePath = Path.Combine(directory, CosignKeyPairWriter.PrivateKeyFile);
        var publicPath = Path.Combine(directory, CosignKeyPairWriter.PublicKeyFile);
        if (!File.Exists(privatePath))
            await new CosignKeyPairWriter(log).WriteAsync(directory, request.Password, cancellationToken);
        log.Warn($"No --signing-key given: signing with the development key {privatePath}. It is for local use only; " +
                 "in CI pass --signing-key (PIPELINE_SIGNING_KEY) and --signing-key-password (PIPELINE_SIGNING_KEY_PASSWORD).");
        return (SigningKey.Load(privatePath, request.Password, "the development key"), File.Exists(publicPath) ? publicPath : null);
    }
}
