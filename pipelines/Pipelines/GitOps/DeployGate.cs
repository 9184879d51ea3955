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

        string scanText;
        if (!requireScan) scanText = "not required (--require-scan false)";
        else if (scan is null)
        {
            scanText = "missing";
            problems.Add($"no scan of {image.Digest} is recorded: run Scan (or `./build.sh Scan --skip --image {image}`) first, or pass --require-scan false");
        }
        else if (!string.Equals(scan.ImageDigest, image.Digest, StringComparison.Ordinal))
        {
            scanText = "for another digest";
            problems.Add($"the recorded scan is of {scan.ImageDigest}, not {image.Digest}: scan this exact digest first");
        }
        else if (!scan.Passed)
        {
            scanText = "failed";
            problems.Add($"the scan of {image.Digest} did not pass ({scan.Counts})");
        }
        else scanText = $"passed ({scan.Counts}, Trivy {scan.TrivyVersion})";

        if (problems.Count > 0)
            throw new PipelineException($"Deploy refused for {image}: " + string.Join("; ", problems) + ".");
        return new DeployClearance(image, verification.Summary, scanText);
    }
}
