namespace Pipelines.Targets;

/// <summary>One step of a plan: the target, and why it will be skipped if it will.</summary>
public sealed record PlannedTarget(string Name, string? SkipReason)
{
    public bool IsSkipped => SkipReason is not null;
}
