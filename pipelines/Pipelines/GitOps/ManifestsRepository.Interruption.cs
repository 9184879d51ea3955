using Pipelines.Logging;
namespace Pipelines.GitOps;

internal sealed partial class ManifestsRepository
{
    /// <summary>How long the after-interruption check of the remote may take.</summary>
    private static readonly TimeSpan InterruptionCheckTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A run stopped (Ctrl-C, SIGTERM) while git pushed <paramref name="commit"/>: asks the remote for <paramref name="branch"/>.
    /// When the branch holds the commit, the deploy happened and the revision says "interrupted after the push";
    /// otherwise nothing changed, and the message says so.
    /// </summary>
    private async Task<DeployedRevision> AfterInterruptedPushAsync(Clone clone, string environment, string branch, string commit, IReadOnlyList<string> files, int attempt)
    {
        using var timeout = new CancellationTokenSource(InterruptionCheckTimeout);
        string? remote = null;
        try
        {
            // A server that had the whole pack when the client stopped may still be running its hooks: look again
            // for a few seconds before saying the push did not land.
            foreach (var wait in new[] { 0, 1000, 2000 })
            {
                await Task.Delay(wait, timeout.Token);
                var listed = await _git.RunAsync(clone.Directory, ["ls-remote", "origin", $"refs/heads/{branch}"], timeout.Token);
                if (!listed.Succeeded)
                    throw new PipelineException(
                        $"{environment}: interrupted while pushing {commit} to `{branch}`, and `{DisplayUrl}` could not be asked whether it landed ({LastLines(listed)}): " +
                        $"check whether `{branch}` is at {commit} before deploying again.");
                remote = listed.StandardOutput.Split('\t', 2)[0].Trim() is { Length: > 0 } head ? head : null;
                if (remote == commit) break;
            }
        }
        catch (OperationCanceledException)
        {
            throw new PipelineException(
                $"{environment}: interrupted while pushing {commit} to `{branch}`, and `{DisplayUrl}` did not answer within {InterruptionCheckTimeout.TotalSeconds:0} s whether it landed: " +
                $"check whether `{branch}` is at {commit} before deploying again.");
        }
        if (remote == commit)
        {
            var revision = new DeployedRevision(commit, environment, files, AlreadyDeployed: false, attempt, branch) { Interrupted = true };
            _log.Warn($"{environment}: {revision.Describe()}.");
            return revision;
        }
        throw new PipelineException(
            $"{environment}: not deployed: the manifests repository is unchanged (interrupted before the push of {commit} landed; `{branch}` is at {remote ?? "nothing"}).");
    }

    /// <summary>Runs a step before any push: cancelled there, nothing reached the remote, and the message says so.</summary>
    private static async Task<T> NotDeployedWhenCancelledAsync<T>(string environment, Func<Task<T>> step, CancellationToken ct)
    {
        try
        {
            return await step();
        }
        catch (OperationCanceledException e) when (ct.IsCancellationRequested)
        {
            throw new PipelineException($"{environment}: not deployed: the manifests repository is unchanged (interrupted before the push).", e);
        }
    }
}
