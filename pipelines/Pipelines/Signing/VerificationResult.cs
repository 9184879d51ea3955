using Pipelines.Containers;
using Pipelines.Oci;
using Pipelines.Logging;

namespace Pipelines.Signing;

/// <summary>The verdict on an image: which signatures and attestations verified, and why others did not.</summary>
/// <param name="Image">The image checked, by digest.</param>
/// <param name="KeyFingerprint">The public key used (<c>sha256:</c> of its SubjectPublicKeyInfo).</param>
/// <param name="Signatures">Every signature layer found; empty means "no signatures".</param>
/// <param name="Attestations">Every attestation layer found.</param>
/// <param name="MissingAttestations">Required predicate types with no verified attestation.</param>
internal sealed record VerificationResult(
    ImageReference Image,
    string KeyFingerprint,
    IReadOnlyList<SignatureCheck> Signatures,
    IReadOnlyList<AttestationCheck> Attestations,
    IReadOnlyList<string> MissingAttestations)
{
    /// <summary>At least one signature verified (cosign's rule).</summary>
    public bool SignatureVerified => Signatures.Any(s => s.Verified);

    /// <summary>A signature verified and every required attestation is present and verified.</summary>
    public bool Verified => SignatureVerified && MissingAttestations.Count == 0;

    /// <summary>One sentence: what verified, or why the image is refused.</summary>
    public string Summary
    {
        get
        {
            if (Signatures.Count == 0)
                return $"{Image} has no signatures (no {CosignManifest.TagFor(Image.Digest!, "sig")} tag); sign it with the Sign target.";
            if (!SignatureVerified)
                return $"{Image} has {Signatures.Count} signature(s) but none verifies with key {KeyFingerprint}: " +
                       string.Join("; ", Signatures.Select(s => $"#{s.Index} {s.Reason}")) + ".";
            var verified = Signatures.Count(s => s.Verified);
            if (MissingAttestations.Count > 0)
            {
                var failures = Attestations.Where(a => !a.Verified).Select(a => $"#{a.Index} ({a.PredicateType ?? "?"}) {a.Reason}").ToList();
                return $"{Image} is signed ({verified} signature(s) verified) but lacks verified attestations for {string.Join(", ", MissingAttestations)}" +
                       (failures.Count > 0 ? $"; rejected: {string.Join("; ", failures)}" : "") + ".";
            }
            var attestations = Attestations.Where(a => a.Verified).Select(a => a.PredicateType).Distinct().ToList();
            return $"{Image} verified: {verified} of {Signatures.Count} signature(s) by key {KeyFingerprint}" +
                   (attestations.Count > 0 ? $", attestations {string.Join(", ", attestations)}" : "") + ".";
        }
    }

    /// <summary>Writes each signature's and attestation's check to the log, one line each, prefixed with the service.</summary>
    public void Report(ILog log, string service)
    {
        foreach (var check in Signatures)
            log.Info($"{service}: signature #{check.Index} {check.LayerDigest}: {check.Reason}");
        foreach (var check in Attestations)
            log.Info($"{service}: attestation #{check.Index} {check.PredicateType}: {check.Reason}");
    }

    /// <summary>Throws a <see cref="PipelineException"/> carrying <see cref="Summary"/> unless <see cref="Verified"/>.</summary>
    public VerificationResult EnsureVerified() => Verified ? this : throw new PipelineException(Summary);
}
