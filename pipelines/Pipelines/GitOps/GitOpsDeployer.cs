using Pipelines.GitHub;
using Pipelines.Hosts;
using Pipelines.Kubernetes;

namespace Pipelines.GitOps;

/// <summary>
/// The Deploy step after the gate: commits the cleared digest into the manifests repository (directly, or on a
/// deploy branch with a pull request), pokes Flux's receiver, and waits until Flux reports the commit applied.
/// Never talks to the cluster to change it.
/// </summary>
public sealed class GitOpsDeployer(ManifestsRepository repository, ILog log)
{
    /// <summary>Writes the new image into the manifests repository, pushes it (or opens a pull request) and optionally waits for Flux.</summary>
    public async Task<DeployOutcome> DeployAsync(
        DeployRequest request, DeployMode mode, DeployClearance clearance,
        PullRequestSettings? pullRequests, FluxSettings? flux, CancellationToken cancellationToken)
    {
        // 1. Pull-request environments commit to a deploy branch: the open PR's branch for this app and environment, or a new one.
        PullRequest? existing = null;
        if (mode == DeployMode.PullRequest)
        {
            if (pullRequests is null)
                throw new PipelineException($"Environment {request.Environment} deploys through a pull request: pass --github-token (and --manifests-github-repository when --manifests-repo is not a GitHub URL).");
            existing = await FindOpenPullRequestAsync(pullRequests, request, cancellationToken);
            request = request with { PushBranch = existing?.Head.Ref ?? DeployRequest.PullRequestBranch(request.Environment, request.App, request.Image.Digest ?? "") };
        }

        // 2. The commit: the setter edits the environment's folder; nothing is committed when the digest is already there.
        var revision = await repository.DeployAsync(request, cancellationToken);
        log.Info(revision.Describe());

        // 3. The pull request: opened, or the open one updated so there is one per app and environment.
        PullRequest? pullRequest = null;
        if (mode == DeployMode.PullRequest && pullRequests is not null && !(revision.AlreadyDeployed && existing is not null))
            pullRequest = await OpenOrUpdateAsync(pullRequests, request, clearance, existing, cancellationToken);

        // 4. Flux: only a direct push changes what Flux applies.
        FluxApplied? applied = null;
        if (mode == DeployMode.Direct && flux is not null)
        {
            // The commit has landed: a receiver that cannot be reached only delays Flux until its next interval.
            if (flux.Receiver is { } receiver)
            {
                try
                {
                    await new FluxReceiverNotifier(log).NotifyAsync(
                        new FluxReceiverRequest(receiver.Url, receiver.Token, receiver.Type, flux.Branch, revision.Commit), cancellationToken);
                }
                catch (PipelineException e)
                {
                    log.Warn($"{e.Message} Flux applies {revision.Commit} at its next interval instead.");
                }
            }
            if (flux.Waiter is { } waiter && flux.Kustomization is { } kustomization)
            {
                try
                {
                    applied = await waiter.WaitAsync(new FluxWaitOptions(kustomization.Namespace, kustomization.Name, revision.Commit) { Timeout = flux.Timeout }, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The push has happened: say that the commit stays and Flux applies it, so nobody deploys again or reverts by hand.
                    var reason = e is PipelineException ? e.Message : $"{e.GetType().Name}: {e.Message}";
                    throw new PipelineException(
                        $"{reason.TrimEnd('.')}. The deploy commit {revision.Commit} is pushed to {flux.Branch} and stays: Flux applies it at its next " +
                        $"reconciliation of {kustomization.Namespace}/{kustomization.Name}. Do not deploy again; check it with " +
                        $"`flux get kustomizations -n {kustomization.Namespace}`, or run `./build.sh Rollback --environment {request.Environment}` to undo it.", e);
                }
            }
        }
        else if (mode == DeployMode.PullRequest && flux?.Waiter is not null)
            log.Info("Not waiting for Flux: the change lands when the pull request is merged.");

        return new DeployOutcome(revision, pullRequest, applied);
    }

    private static async Task<PullRequest?> FindOpenPullRequestAsync(PullRequestSettings settings, DeployRequest request, CancellationToken cancellationToken)
    {
        var prefix = $"deploy/{request.Environment}/{request.App}-";
        var open = await settings.Client.ListOpenPullRequestsAsync(settings.Repository, settings.BaseBranch, cancellationToken);
        return open.FirstOrDefault(p => p.Head.Ref.StartsWith(prefix, StringComparison.Ordinal));
    }

    private async Task<PullRequest> OpenOrUpdateAsync(PullRequestSettings settings, DeployRequest request, DeployClearance clearance, PullRequest? existing, CancellationToken cancellationToken)
    {
        var image = request.Image;
        var title = $"deploy({request.Environment}): {request.App} {image.Tag ?? "untagged"}@{ManifestsRepository.ShortDigest(image.Digest ?? "")}";
        var body = string.Join("\n",
            $"Deploys **{request.App}** to **{request.Environment}**.",
            "",
            "| | |",
            "| --- | --- |",
            $"| Image | `{image.Repository}{(image.Tag is null ? "" : ":" + image.Tag)}` |",
            $"| Digest | `{image.Digest}` |",
            $"| Scan | {clearance.Scan} |",
            $"| Signature | {clearance.Signature} |",
            $"| Source commit | {request.SourceCommit ?? "unknown"} |",
            $"| Pipeline run | {request.PipelineRun ?? "unknown"} |",
            "",
            "Opened by the Deploy target; merging it lets Flux apply the change.");

        if (existing is not null)
        {
            var updated = await settings.Client.UpdatePullRequestAsync(settings.Repository, existing.Number, new PullRequestUpdate(title, body), cancellationToken);
            log.Info($"Updated pull request #{updated.Number}: {updated.HtmlUrl}");
            return updated;
        }
        var created = await settings.Client.CreatePullRequestAsync(settings.Repository, new NewPullRequest(title, request.PushBranch!, settings.BaseBranch, body), cancellationToken);
        await settings.Client.AddLabelsAsync(settings.Repository, created.Number, ["deploy"], cancellationToken);
        log.Info($"Opened pull request #{created.Number}: {created.HtmlUrl}");
        return created;
    }
}
