using Pipelines.Hosts;

namespace Pipelines.Targets;

/// <summary>
/// Implemented by the toolkit's components and compositions that check something before any target runs (e.g. that the committed
/// CI files are current). The runner calls it after parameters are bound and the plan is made, not for
/// <c>--help</c> or <c>--plan</c>. Throw <see cref="PipelineException"/> to stop the run.
/// </summary>
public interface IBuildCheck
{
    /// <summary>Runs once the plan is known, before any target; throw to stop the run.</summary>
    internal void BeforeTargets(ExecutionPlan plan, PipelineHost host);
}
