using System.Diagnostics;
using System.Text.Json.Nodes;
using Pipelines.Logging;

namespace Pipelines.Kubernetes;

/// <summary>
/// Waits until a Flux Kustomization reports the pushed commit (or a descendant) applied and Ready,
/// failing fast when Flux says it cannot get there.
/// </summary>
internal sealed class FluxWaiter(KubernetesClient client, ILog log, Func<string, string, CancellationToken, Task<bool>>? isDescendant = null)
{
    /// <summary>Terminal Ready=False reasons for the attempted revision (kustomize-controller api/v1).</summary>
    private static readonly HashSet<string> TerminalReasons =
        ["ArtifactFailed", "BuildFailed", "HealthCheckFailed", "PruneFailed", "ReconciliationFailed"];

    /// <summary>Waits until Flux has applied the expected revision, or fails with the condition that stopped it.</summary>
    public async Task<FluxApplied> WaitAsync(FluxWaitOptions options, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        if (options.RequestReconcile) await RequestReconcileAsync(options, cancellationToken);

        string lastSeen = "nothing yet";
        while (true)
        {
            // 1. Read the Kustomization as Flux last wrote it.
            var kustomization = await client.GetAsync(KubeResource.FluxKustomizations, options.Namespace, options.Name, cancellationToken)
                ?? throw new PipelineException($"The Flux Kustomization {options.Namespace}/{options.Name} does not exist; check --flux-kustomization.");
            var status = FluxKustomizationStatus.From(kustomization);
            lastSeen = status.Ready?.ToString() ?? "no Ready condition";

            // 2. Conditions Flux will not recover from by itself.
            if (status.Suspended)
                throw new PipelineException($"The Flux Kustomization {options.Namespace}/{options.Name} is suspended: resume it with `flux resume kustomization {options.Name} -n {options.Namespace}`.");
            if (status.Stalled is { IsTrue: true } stalled)
                throw new PipelineException($"Flux stalled on {options.Namespace}/{options.Name}: {stalled}.");

            // 3. Applied: the revision is ours or later, Ready, and the status describes the current spec.
            var applied = await MatchesAsync(status.LastAppliedRevision, options.Commit, cancellationToken)
                || await MatchesAsync(status.LastAppliedOriginRevision, options.Commit, cancellationToken);
            if (applied && status.Ready is { IsTrue: true } && status.IsUpToDate)
            {
                log.Info($"Flux applied {status.LastAppliedRevision} ({options.Namespace}/{options.Name}).");
                return new FluxApplied(status.LastAppliedRevision!, watch.Elapsed);
            }

            // 4. Our revision was attempted and failed for a reason retrying will not fix.
            if (await MatchesAsync(status.LastAttemptedRevision, options.Commit, cancellationToken)
                && status.Ready is { IsFalse: true, Reason: { } reason } ready && TerminalReasons.Contains(reason))
                throw new PipelineException($"Flux could not apply {status.LastAttemptedRevision} ({options.Namespace}/{options.Name}): {ready}.");

            // 5. Otherwise keep waiting (Progressing, DependencyNotReady, an older revision), up to the timeout.
            if (watch.Elapsed >= options.Timeout)
                throw new PipelineException(
                    $"Flux did not report commit {Short(options.Commit)} applied to {options.Namespace}/{options.Name} within {Durations.Format(options.Timeout)}; " +
                    $"last applied {status.LastAppliedRevision ?? "none"}, last condition seen: {lastSeen}. Raise --flux-timeout or check `flux get kustomizations -n {options.Namespace}`.");
            log.Debug($"Waiting for Flux: {lastSeen}");
            await Task.Delay(options.PollInterval, cancellationToken);
        }
    }

    private async Task RequestReconcileAsync(FluxWaitOptions options, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { ["reconcile.fluxcd.io/requestedAt"] = DateTimeOffset.UtcNow.ToString("O") },
            },
        };
        await client.MergePatchAsync(KubeResource.FluxKustomizations, options.Namespace, options.Name, patch, cancellationToken);
    }

    private async Task<bool> MatchesAsync(string? revision, string commit, CancellationToken cancellationToken)
    {
        var hash = FluxKustomizationStatus.CommitOf(revision);
        if (hash is null) return false;
        if (string.Equals(hash, commit, StringComparison.OrdinalIgnoreCase)) return true;
        return isDescendant is not null && hash.Length == commit.Length && await isDescendant(hash, commit, cancellationToken);
    }

    private static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;
}
