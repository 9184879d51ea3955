namespace Pipelines.Targets;

/// <summary>The order targets run in.</summary>
internal sealed record ExecutionPlan(IReadOnlyList<PlannedTarget> Targets, IReadOnlyList<string> Invoked)
{
    /// <summary>The planned targets' names, in run order.</summary>
    public IEnumerable<string> Names => Targets.Select(t => t.Name);
}
