namespace Pipelines.Targets;

/// <summary>One step of a plan: the target, and why it will be skipped if it will.</summary>
internal sealed record PlannedTarget(string Name, string? SkipReason)
{
    /// <summary>True when the target will not run.</summary>
    public bool IsSkipped => SkipReason is not null;
}
