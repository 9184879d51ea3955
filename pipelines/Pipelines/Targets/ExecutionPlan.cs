namespace Pipelines.Targets;

/// <summary>The order targets run in.</summary>
public sealed record ExecutionPlan(IReadOnlyList<PlannedTarget> Targets, IReadOnlyList<string> Invoked)
{
    public IEnumerable<string> Names => Targets.Select(t => t.Name);
}
