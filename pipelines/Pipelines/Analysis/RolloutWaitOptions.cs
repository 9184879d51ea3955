namespace Pipelines.Analysis;

/// <summary>Which Deployment to watch and for how long.</summary>
/// <param name="Namespace">The app's namespace in the environment.</param>
/// <param name="Name">The Deployment's name.</param>
internal sealed record RolloutWaitOptions(string Namespace, string Name)
{
    /// <summary>When set, the pod template must carry this digest (the deployed image) before "done" counts: otherwise the status may describe the previous release.</summary>
    public string? ExpectedDigest { get; init; }
    /// <summary>How long to wait for the rollout before the analysis is inconclusive.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>How often the Deployment is read.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}
