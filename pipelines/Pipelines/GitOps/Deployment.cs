using Pipelines.Containers;
using Pipelines.Scanning;
using Pipelines.Oci;
using Pipelines.Workspace;
using Pipelines.Logging;

namespace Pipelines.GitOps;

/// <summary>
/// A deploy of one or several services into an environment, what Deploy, Promote and Analyze's promotion share: every
/// image is checked first (signature, scan of that digest), so that nothing is written unless all pass; then one
/// commit sets them all (or one pull request), and Flux is poked and waited for. One service is a list of one. The
/// manifests repository is opened only once every image passed (a local one is created on first use).
/// </summary>
internal sealed class Deployment(Func<CancellationToken, Task<ManifestsRepository>> openRepository, DeployGate gate, ILog log)
{
    /// <summary>Gates every image, then commits them in one commit; the clearances are in the order of the request's images.</summary>
    public async Task<DeploymentResult> DeployAsync(DeploymentRequest request, PipelineState state, CancellationToken cancellationToken)
    {
        var clearances = new List<DeployClearance>();
        foreach (var (app, _, image) in request.Images)
        {
            try
            {
                clearances.Add(await gate.CheckAsync(image, ScanVerdicts.ForDeploy(state, image.Digest), request.RequireScan, cancellationToken, request.MaxScanAge));
            }
            catch (PipelineException e) when (request.Images.Count > 1)
            {
                throw new PipelineException($"{app.App}: {e.Message} Nothing was deployed" +
                    (e.Message.Contains("--image", StringComparison.Ordinal) ? $"; the commands above act on {app.App} alone with --service {app.App}." : "."), e);
            }
        }

        var deploy = DeployRequest.ForApps(request.Environment,
            request.Images.Select(i => new AppImage(i.App.App, i.App.Path, new ImageUpdate(i.ManifestsImage, i.Image.FamiliarName, i.Image.Tag, i.Image.Digest))).ToList(),
            request.SourceCommit, request.RunId);
        var repository = await openRepository(cancellationToken);
        var outcome = await new GitOpsDeployer(repository, log).DeployAsync(deploy, request.Mode, clearances, request.PullRequests, request.Flux?.Invoke(repository), cancellationToken);
        return new DeploymentResult(outcome, clearances);
    }
}

/// <summary>What one deploy commits: each app's folder and the image its manifests name, and where and how.</summary>
/// <param name="Images">Each app's folder, the image name its manifests use, and the image to set (pinned by digest).</param>
internal sealed record DeploymentRequest(string Environment, DeployMode Mode, IReadOnlyList<(AppPath App, string ManifestsImage, ImageReference Image)> Images)
{
    /// <summary>Deploy only digests with a passing scan (the signature is always checked).</summary>
    public bool RequireScan { get; init; } = true;
    /// <summary>How old a signed scan attestation may be when the state has no scan of the digest.</summary>
    public TimeSpan MaxScanAge { get; init; } = DeployGate.DefaultMaxScanAge;
    /// <summary>The application commit the images were built from, for the commit's trailers.</summary>
    public string? SourceCommit { get; init; }
    /// <summary>The CI run, for the commit's trailers.</summary>
    public string? RunId { get; init; }
    /// <summary>How a pull-request environment opens its pull request; null for a direct one.</summary>
    public PullRequestSettings? PullRequests { get; init; }
    /// <summary>Flux's receiver and wait for the environment's cluster, given the manifests repository; null pokes and waits for nothing.</summary>
    public Func<ManifestsRepository, FluxSettings>? Flux { get; init; }
}

/// <summary>The deploy's outcome, and the gate's clearance of each image, in the order of the request.</summary>
internal sealed record DeploymentResult(DeployOutcome Outcome, IReadOnlyList<DeployClearance> Clearances);
