namespace Pipelines.Analysis;

/// <summary>The outcome of a release analysis. Only <see cref="Pass"/> lets a release go on.</summary>
internal enum AnalysisVerdict
{
    /// <summary>The rollout finished and every check kept the objectives (within the failure limit).</summary>
    Pass,
    /// <summary>An objective was breached in more checks than tolerated, or the rollout failed: roll back.</summary>
    Breach,
    /// <summary>No answer: Prometheus unreachable, a query error, no data, NaN, too little traffic, or the rollout never finished. Never a pass.</summary>
    Inconclusive,
}
