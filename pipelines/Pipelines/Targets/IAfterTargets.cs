using Pipelines.Hosts;

namespace Pipelines.Targets;

/// <summary>
/// Implemented by the toolkit's components that act once every planned target has ended, on what happened: the
/// notifications of a deploy, a verdict or a failure. The runner calls it after the last target and before the
/// summary; it never changes the run's outcome: what it returns, and any exception it throws, become warning rows.
/// </summary>
public interface IAfterTargets
{
    /// <summary>Acts on the run's outcome; returns warnings for the summary (none: empty).</summary>
    internal Task<IReadOnlyList<string>> AfterTargetsAsync(BuildSummary summary, PipelineHost host, CancellationToken cancellationToken);
}
