using Pipelines.Containers;
using Pipelines.Scanning;
using Pipelines.Signing;

namespace Pipelines.GitOps;

/// <summary>
/// The policy before any commit: the image's digest must verify with the configured public key and,
/// unless turned off, have a passing scan of that exact digest recorded in the pipeline state.
/// </summary>
public sealed class DeployGate(SignatureVerifier verifier, VerificationKey key, VerificationPolicy policy)
{
    /// <summary>Returns the clearance, or throws one message naming everything that is missing.</summary>
    public async Task<DeployClearance> CheckAsync(ImageReference image, ScanVerdict? scan, bool requireScan, CancellationToken cancellationToken)
    {
        if (image.Digest is null)
            throw new PipelineException($"Deploy refused: {image} is not pinned by digest; pass --image <repository>:<tag>@sha256:<digest>.");

        var problems = new List<string>();
        var verification = await verifier.VerifyAsync(image.WithoutTagOrDigest().WithDigest(image.Digest), key, policy, cancellationToken);
        if (!verification.Verified) problems.Add(verification.Summary + $" (public key: {key.Source})");

        // The scan: the verdict this pipeline recorded, else a verified scan attestation signed with the same key.
        var attested = verification.Attestations
            .Where(a => a.Verified && a.PredicateType == PredicateTypes.Vulnerability)
            .Select(a => ScanAttestation.FromPredicate(a.Predicate))
            .FirstOrDefault(v => v is not null && v.PassedFor(image.Digest));
        string scanText;
        if (!requireScan) scanText = "not required (--require-scan false)";
        else if (scan is not null && scan.PassedFor(image.Digest)) scanText = $"passed ({scan.Counts}, Trivy {scan.TrivyVersion})";
        else if (attested is not null) scanText = $"passed ({attested.Counts}, Trivy {attested.TrivyVersion}; signed scan attestation)";
        else if (scan is null)
        {
            scanText = "missing";
            problems.Add($"no scan of {image.Digest} is recorded or attested: run Scan (or `./build.sh Scan --skip --image {image}`) first, or pass --require-scan false");
        }
        else if (!string.Equals(scan.ImageDigest, image.Digest, StringComparison.Ordinal))
        {
            scanText = "for another digest";
            problems.Add($"the recorded scan is of {scan.ImageDigest}, not {image.Digest}, and no signed scan attestation of {image.Digest} passed: scan this exact digest first");
        }
        else
        {
            scanText = "failed";
            problems.Add($"the scan of {image.Digest} did not pass ({scan.Counts})");
        }

        if (problems.Count > 0)
            throw new PipelineException($"Deploy refused for {image}: " + string.Join("; ", problems) + ".");
        return new DeployClearance(image, verification.Summary, scanText);
    }
}
