using Pipelines.Oci;
using Pipelines.Scanning;
using Pipelines.Signing;

namespace Pipelines.GitOps;

/// <summary>
/// The policy before any commit: the image's digest must verify with the configured public key and,
/// unless turned off, have a passing latest scan of that exact digest, recorded in the pipeline state or signed.
/// </summary>
internal sealed class DeployGate(SignatureVerifier verifier, VerificationKey key, VerificationPolicy policy)
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

        // The scan: the newest verdict of this digest decides, whether the state recorded it or a verified attestation
        // signed with the same key carries it, so a newer failing scan always beats an older pass. A scan recorded but
        // never finished is no pass either.
        var recorded = scan is not null && scan.ImageDigest == image.Digest ? scan : null;
        var attested = verification.Attestations
            .Where(a => a.Verified && a.PredicateType == PredicateTypes.Vulnerability)
            .Select(a => ScanAttestation.FromPredicate(a.Predicate))
            .Where(v => v is not null && v.ImageDigest == image.Digest)
            .OrderByDescending(v => v!.ScannedAt)
            .FirstOrDefault();
        if (recorded is not null && attested is not null)
        {
            if (attested.ScannedAt > recorded.ScannedAt) recorded = null;
            else attested = null;
        }
        string scanText;
        if (!requireScan) scanText = "not required (--require-scan false)";
        else if (recorded is { TrivyVersion: null })
        {
            scanText = "not finished";
            problems.Add($"the last scan of {image.Digest} (started {recorded.ScannedAt:yyyy-MM-dd HH:mm} UTC) did not finish: scan it again (`./build.sh Scan --skip --image {image}`)");
        }
        else if (recorded is not null)
        {
            scanText = recorded.Passed ? $"passed ({recorded.Counts}, Trivy {recorded.TrivyVersion})" : "failed";
            if (!recorded.Passed) problems.Add($"the latest scan of {image.Digest} did not pass ({recorded.Counts}, {recorded.ScannedAt:yyyy-MM-dd HH:mm} UTC)");
        }
        else if (attested is { Passed: true } && DateTimeOffset.UtcNow - attested.ScannedAt <= maxScanAge)
            scanText = $"passed ({attested.Counts}, Trivy {attested.TrivyVersion}; signed scan attestation of {attested.ScannedAt:yyyy-MM-dd})";
        else if (attested is { Passed: true })
        {
            scanText = "too old";
            problems.Add($"the newest signed scan of {image.Digest} is from {attested.ScannedAt:yyyy-MM-dd}, older than {Durations.Format(maxScanAge)}: scan it again (`./build.sh Scan --skip --image {image}`)");
        }
        else if (attested is not null)
        {
            scanText = "failed";
            problems.Add($"the newest signed scan of {image.Digest} did not pass ({attested.Counts}, {attested.ScannedAt:yyyy-MM-dd HH:mm} UTC)");
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
