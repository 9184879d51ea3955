using Pipelines.GitHub;
using Pipelines.Kubernetes;
using Pipelines.Logging;

namespace Pipelines.GitOps;

/// <summary>
/// The Deploy step after the gate: commits the cleared digest into the manifests repository (directly, or on a
/// deploy branch with a pull request), pokes Flux's receiver, and waits until Flux reports the commit applied.
/// Never talks to the cluster to change it.
/// </summary>
internal sealed class GitOpsDeployer(ManifestsRepository repository, ILog log)
{
    /// <summary>Writes the new image into the manifests repository, pushes it (or opens a pull request) and optionally waits for Flux.</summary>
    public Task<DeployOutcome> DeployAsync(
        DeployRequest request, DeployMode mode, DeployClearance clearance,
        PullRequestSettings? pullRequests, FluxSettings? flux, CancellationToken cancellationToken) =>
        DeployAsync(request, mode, [clearance], pullRequests, flux, cancellationToken);

    /// <summary>
    /// Writes every app's image of <paramref name="request"/> into the manifests repository in one commit, pushes it (or
    /// pushes one deploy branch and opens or updates one pull request for the whole set) and optionally pokes and waits
    /// for Flux once for that commit. <paramref name="clearances"/> holds the gate's clearance of each app's image
    /// (matched by digest; the pull request shows them).
    /// </summary>
    /// <exception cref="PipelineException">An app's image has no clearance, or the deploy failed; nothing is pushed in the first case.</exception>
    public async Task<DeployOutcome> DeployAsync(
        DeployRequest request, DeployMode mode, IReadOnlyList<DeployClearance> clearances,
        PullRequestSettings? pullRequests, FluxSettings? flux, CancellationToken cancellationToken)
    {
        // One app takes its (only) clearance as it always did; several are matched to their clearance by digest.
        var uncleared = request.Apps
            .Where(a => clearances.Count == 0 || (request.IsMultiApp && !clearances.Any(c => c.Image.Digest == a.Image.Digest)))
            .Select(a => a.App).ToList();
        if (uncleared.Count > 0)
            throw new PipelineException($"{request.Environment}: not deployed: no gate clearance was given for {string.Join(", ", uncleared)}; check each image with the DeployGate first.");

        // 1. Pull-request environments commit to a deploy branch: the open PR's branch for this app and environment, or a new one.
        PullRequest? existing = null;
        if (mode == DeployMode.PullRequest)
        {
            if (pullRequests is null)
                throw new PipelineException($"Environment {request.Environment} deploys through a pull request: pass --github-token (and --manifests-github-repository when --manifests-repo is not a GitHub URL).");
            existing = await FindOpenPullRequestAsync(pullRequests, request, cancellationToken);
            request = request with { PushBranch = existing?.Head.Ref ?? request.PullRequestBranch() };
        }

        // 2. The commit: the setter edits the environment's folder; nothing is committed when the digest is already there.
        var revision = await repository.DeployAsync(request, cancellationToken);
        log.Info(revision.Describe());
        // Stopped (Ctrl-C, SIGTERM) once the push landed: report what the remote holds, and nothing more.
        if (revision.Interrupted || cancellationToken.IsCancellationRequested)
            return await AfterInterruptionAsync(request, mode, revision, pullRequests, existing);

        // 3. The pull request: opened, or the open one updated so there is one per app and environment.
        PullRequest? pullRequest = null;
        if (mode == DeployMode.PullRequest && pullRequests is not null && !(revision.AlreadyDeployed && existing is not null))
        {
            try
            {
                pullRequest = await OpenOrUpdateAsync(pullRequests, request, clearances, existing, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return await AfterInterruptionAsync(request, mode, revision, pullRequests, existing);
            }
        }

        // 4. Flux: only a direct push changes what Flux applies.
        FluxApplied? applied = null;
        var warnings = new List<string>();
        if (mode == DeployMode.Direct && flux is not null)
        {
            try
            {
                applied = await NotifyAndWaitForFluxAsync(request, revision, flux, warnings, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped while poking or waiting for Flux: the push has landed, so report it as deployed.
                return await AfterInterruptionAsync(request, mode, revision, pullRequests, existing);
            }
        }
        else if (mode == DeployMode.PullRequest && flux?.Waiter is not null)
            log.Info("Not waiting for Flux: the change lands when the pull request is merged.");

        return new DeployOutcome(revision, pullRequest, applied) { Warnings = warnings };
    }

    /// <summary>Pokes Flux's receiver and waits for the commit to be applied, as configured; null when there is no waiting.</summary>
    /// <param name="warnings">Gets a receiver that could not be poked: the deploy succeeded, but the summary must say so.</param>
    private async Task<FluxApplied?> NotifyAndWaitForFluxAsync(DeployRequest request, DeployedRevision revision, FluxSettings flux, List<string> warnings, CancellationToken cancellationToken)
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
                var warning = $"{e.Message} Flux applies {revision.Commit} at its next interval instead.";
                log.Warn(warning);
                warnings.Add(warning);
            }
        }
        if (flux.Waiter is { } waiter && flux.Kustomization is { } kustomization)
        {
            try
            {
                return await waiter.WaitAsync(new FluxWaitOptions(kustomization.Namespace, kustomization.Name, revision.Commit) { Timeout = flux.Timeout }, cancellationToken);
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
        return null;
    }

    /// <summary>The open pull request of this environment and this set of apps: its branch is the prefix and a hex hash.</summary>
    private static async Task<PullRequest?> FindOpenPullRequestAsync(PullRequestSettings settings, DeployRequest request, CancellationToken cancellationToken)
    {
        var prefix = request.PullRequestBranchPrefix();
        var open = await settings.Client.ListOpenPullRequestsAsync(settings.Repository, settings.BaseBranch, cancellationToken);
        return open.FirstOrDefault(p => p.Head.Ref.StartsWith(prefix, StringComparison.Ordinal) && p.Head.Ref[prefix.Length..].All(char.IsAsciiHexDigitLower));
    }

    private async Task<PullRequest> OpenOrUpdateAsync(PullRequestSettings settings, DeployRequest request, IReadOnlyList<DeployClearance> clearances, PullRequest? existing, CancellationToken cancellationToken)
    {
        var (title, body) = request.IsMultiApp ? PullRequestText.ForApps(request, clearances) : PullRequestText.ForApp(request, clearances[0]);
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

    /// <summary>
    /// The run was stopped after the push landed: a direct deploy is done (Flux applies the commit at its next
    /// interval); a pull-request deploy is done when its pull request exists (the open one, or one a lost answer
    /// hid), and otherwise the message says the branch is pushed but no pull request was opened.
    /// </summary>
    private async Task<DeployOutcome> AfterInterruptionAsync(
        DeployRequest request, DeployMode mode, DeployedRevision revision, PullRequestSettings? pullRequests, PullRequest? existing)
    {
        revision = revision.AlreadyDeployed ? revision : revision with { Interrupted = true };
        if (mode != DeployMode.PullRequest || pullRequests is null)
        {
            log.Warn($"{request.Environment}: {revision.Describe()}; Flux was neither poked nor waited for: it applies {revision.Commit} at its next interval.");
            return new DeployOutcome(revision, null, null);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        PullRequest? pullRequest;
        try
        {
            pullRequest = existing ?? (await pullRequests.Client.ListOpenPullRequestsAsync(pullRequests.Repository, pullRequests.BaseBranch, timeout.Token))
                .FirstOrDefault(p => p.Head.Ref == request.PushBranch);
        }
        catch (Exception e) when (e is OperationCanceledException or PipelineException or HttpRequestException)
        {
            throw new PipelineException(
                $"{request.Environment}: interrupted after pushing {revision.Commit} to branch `{request.PushBranch}`; whether its pull request is open could not be checked ({e.Message}). Run Deploy again: it reuses the branch and opens or updates the pull request.");
        }
        if (pullRequest is null)
            throw new PipelineException(
                $"{request.Environment}: not deployed: branch `{request.PushBranch}` holds {revision.Commit}, but the run was interrupted before its pull request was opened. Run Deploy again: it reuses the branch and opens the pull request.");
        log.Warn($"{request.Environment}: {revision.Describe()}; pull request #{pullRequest.Number} ({pullRequest.HtmlUrl}) holds it{(existing is null ? "" : "; its title and description were not updated")}.");
        return new DeployOutcome(revision, pullRequest, null);
    }
}
