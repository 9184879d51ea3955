namespace Pipelines.Analysis;

/// <summary>Where a Deployment's rollout stands: still going, done, or failed for good.</summary>
internal sealed record RolloutState(RolloutPhase Phase, string Message)
{
    /// <summary>Still rolling out.</summary>
    public static RolloutState Waiting(string message) => new(RolloutPhase.Waiting, message);
    /// <summary>Rolled out.</summary>
    public static RolloutState Done(string message) => new(RolloutPhase.Done, message);
    /// <summary>Will not finish without help (ProgressDeadlineExceeded).</summary>
    public static RolloutState Failed(string message) => new(RolloutPhase.Failed, message);
}
