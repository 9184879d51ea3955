namespace Pipelines.Analysis;

/// <summary>The three outcomes of judging a Deployment's status.</summary>
internal enum RolloutPhase
{
    /// <summary>Still rolling out.</summary>
    Waiting,
    /// <summary>Every replica updated and available.</summary>
    Done,
    /// <summary>Kubernetes reported the progress deadline exceeded.</summary>
    Failed,
}
