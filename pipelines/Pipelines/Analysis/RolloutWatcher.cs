using System.Diagnostics;
using Pipelines.Logging;

namespace Pipelines.Analysis;

/// <summary>
/// Waits until a Deployment has rolled out the way <c>kubectl rollout status</c> decides it (observed generation,
/// updated and available replicas equal to desired), or Kubernetes reports <c>ProgressDeadlineExceeded</c>.
/// </summary>
internal sealed class RolloutWatcher(IDeploymentStatusSource source, ILog log)
{
    /// <summary>Polls until done or failed; a timeout returns the last waiting state (the caller decides what that means).</summary>
    public async Task<RolloutState> WaitAsync(RolloutWaitOptions options, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var target = $"Deployment {options.Namespace}/{options.Name}";
        string last = "";
        while (true)
        {
            // 1. The object as the API server reports it; a missing Deployment is a configuration error, not a rollout state.
            var status = await source.GetAsync(options.Namespace, options.Name, cancellationToken)
                ?? throw new PipelineException($"{target} does not exist at {source.Describe()}; check --analysis-namespace and --analysis-deployment (default: the app's name).");

            // 2. Pin what is judged: the template must be the deployed release's.
            var state = options.ExpectedDigest is { } digest && !status.Images.Any(i => i.Contains(digest, StringComparison.OrdinalIgnoreCase))
                ? RolloutState.Waiting($"the pod template does not run {digest} yet ({string.Join(", ", status.Images)})")
                : status.Judge();
            if (state.Message != last) log.Info($"{target}: {state.Message}.");
            last = state.Message;

            // 3. kubectl's verdict decides; waiting ends at the timeout.
            if (state.Phase != RolloutPhase.Waiting) return state with { Message = $"{target}: {state.Message}" };
            if (watch.Elapsed >= options.Timeout)
                return RolloutState.Waiting($"{target} did not finish rolling out within {Durations.Format(options.Timeout)} ({state.Message})");
            await Task.Delay(options.PollInterval, cancellationToken);
        }
    }
}
