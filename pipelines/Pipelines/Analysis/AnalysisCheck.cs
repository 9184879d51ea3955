namespace Pipelines.Analysis;

/// <summary>One check of the analysis: every objective measured at the same instant.</summary>
/// <param name="Number">1-based.</param>
/// <param name="Time">The evaluation time sent to Prometheus.</param>
/// <param name="Verdict">Pass, Breach (an objective breached), Inconclusive (no data for some objective, or too little traffic) or Error (Prometheus could not answer).</param>
/// <param name="Measurements">Each objective's measurement (empty when the traffic gate already made the check inconclusive).</param>
/// <param name="Reason">Why the check is not a pass; null when it is.</param>
internal sealed record AnalysisCheck(int Number, DateTimeOffset Time, AnalysisVerdict Verdict, IReadOnlyList<ObjectiveMeasurement> Measurements, string? Reason);
