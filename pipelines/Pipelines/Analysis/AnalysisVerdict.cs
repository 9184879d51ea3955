namespace Pipelines.Analysis;

/// <summary>The outcome of a release analysis. Only <see cref="Pass"/> lets a release go on.</summary>
internal enum AnalysisVerdict
{
    /// <summary>The rollout finished and every check kept the objectives (within the failure limit).</summary>
    Pass,
    /// <summary>An objective was breached in more checks than tolerated, or the rollout failed: roll back.</summary>
    Breach,
    /// <summary>No answer in the data: no samples, NaN, too little traffic, or the rollout never finished. Never a pass.</summary>
    Inconclusive,
    /// <summary>
    /// Prometheus could not answer (unreachable, credentials refused, the query rejected, a server error): a configuration
    /// or infrastructure problem, not a verdict on the release. Never a pass, never a rollback.
    /// </summary>
    Error,
}
