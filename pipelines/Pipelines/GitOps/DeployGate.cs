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
    /// <summary>How old a signed scan may be before the vulnerability database it used counts as stale.</summary>
    public static readonly TimeSpan DefaultMaxScanAge = TimeSpan.FromDays(7);

    /// <summary>Returns the clearance, or throws one message naming everything that is missing.</summary>
    public async Task<DeployClearance> CheckAsync(ImageReference image, ScanVerdict? scan, bool requireScan, CancellationToken cancellationToken, TimeSpan? maxScanAgeOrDefault = null)
    {
        var maxScanAge = maxScanAgeOrDefault ?? DefaultMaxScanAge;
        if (image.Digest is null)
            throw new PipelineException($"Deploy refused: {image} is not pinned by digest; pass --image <repository>:<tag>@sha256:<digest>.");

        var problems = new List<string>();
        var verification = await verifier.VerifyAsync(image.WithoutTagOrDigest().WithDigest(image.Digest), key, policy, cancellationToken);
        if (!verification.Verified) problems.Add(verification.Summary + $" (public key: {key.Source})");

        // The scan: a finished verdict this pipeline recorded for this digest decides; without one, the newest
        // verified scan attestation signed with the same key, if it is recent enough.
        var recorded = scan is not null && scan.ImageDigest == image.Digest && scan.TrivyVersion is not null ? scan : null;
        var attested = recorded is not null ? null : verification.Attestations
            .Where(a => a.Verified && a.PredicateType == PredicateTypes.Vulnerability)
            .Select(a => ScanAttestation.FromPredicate(a.Predicate))
            .Where(v => v is not null && v.ImageDigest == image.Digest)
            .OrderByDescending(v => v!.ScannedAt)
            .FirstOrDefault();
        string scanText;
        if (!requireScan) scanText = "not required (--require-scan false)";
        else if (recorded is not null)
        {
            scanText = recorded.Passed ? $"passed ({recorded.Counts}, Trivy {recorded.TrivyVersion})" : "failed";
            if (!recorded.Passed) problems.Add($"the scan of {image.Digest} did not pass ({recorded.Counts})");
        }
        else if (attested is { Passed: true } && DateTimeOffset.UtcNow - attested.ScannedAt <= maxScanAge)
            scanText = $"passed ({attested.Counts}, Trivy {attested.TrivyVersion}; signed scan attestation of {attested.ScannedAt:yyyy-MM-dd})";
        else if (attested is { Passed: true })
        {
            scanText = "too old";
            problems.Add($"the newest signed scan of {image.Digest} is from {attested.ScannedAt:yyyy-MM-dd}, older than {Targets.ParameterConverter.FormatDuration(maxScanAge)}: scan it again (`./build.sh Scan --skip --image {image}`)");
        }
        else if (attested is not null)
        {
            scanText = "failed";
            problems.Add($"the newest signed scan of {image.Digest} did not pass ({attested.Counts})");
        }
        else if (scan is not null && scan.ImageDigest != image.Digest)
        {
            scanText = "for another digest";
            problems.Add($"the recorded scan is of {scan.ImageDigest}, not {image.Digest}, and no signed scan attestation of {image.Digest} exists: scan this exact digest first");
        }
        else
        {
            scanText = "missing";
            problems.Add($"no scan of {image.Digest} is recorded or attested: run Scan (or `./build.sh Scan --skip --image {image}`) first, or pass --require-scan false");
        }

        if (problems.Count > 0)
            throw new PipelineException($"Deploy refused for {image}: " + string.Join("; ", problems) + ".");
        return new DeployClearance(image, verification.Summary, scanText);
    }
}
