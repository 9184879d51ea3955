using System.Text;

namespace Pipelines.Analysis;

/// <summary>The verdict of a release analysis, the evidence for it and what was done about it.</summary>
/// <param name="Verdict">Pass, Breach or Inconclusive.</param>
/// <param name="Message">One paragraph: the verdict, and for a breach the objective, observed value and threshold; for an inconclusive analysis what to check.</param>
/// <param name="Checks">The checks that ran.</param>
/// <param name="Action">What was done in the manifests repository (promotion, rollback, or nothing and why).</param>
/// <param name="Duration">From the start of the analysis to the verdict.</param>
internal sealed record AnalysisReport(AnalysisVerdict Verdict, string Message, IReadOnlyList<AnalysisCheck> Checks, string Action, TimeSpan Duration)
{
    /// <summary>The key the report is stored under in the pipeline state.</summary>
    public const string StateKey = "ReleaseAnalysis";

    /// <summary>The analysed app; null for the combined report of several (see <see cref="Services"/>).</summary>
    public string? App { get; init; }
    /// <summary>The environment analysed.</summary>
    public string? Environment { get; init; }
    /// <summary>How long after its evaluation time each check was asked (<c>--prometheus-lag</c>).</summary>
    public TimeSpan PrometheusLag { get; init; }

    /// <summary>When the checks looked, for every place that prints their times (the verdict, the summary, the terminal table).</summary>
    internal static string EvaluationNote(TimeSpan lag) =>
        "checks evaluated at the window's start + n × interval" +
        (lag > TimeSpan.Zero ? $", each asked {Durations.Format(lag)} later (--prometheus-lag)" : " (--prometheus-lag 0s)") +
        "; HTTP probes ran when asked (they cannot look back)";
    /// <summary>For a deploy of several services, each one's report; empty for a single service's report.</summary>
    public IReadOnlyList<AnalysisReport> Services { get; init; } = [];

    /// <summary>One report per analysed app: <see cref="Services"/>, or this report itself.</summary>
    public IReadOnlyList<AnalysisReport> PerApp => Services.Count > 0 ? Services : [this];

    /// <summary>The verdict as a Tekton result / step output value: <c>pass</c>, <c>breach</c> or <c>inconclusive</c>.</summary>
    public string VerdictText => Verdict.ToString().ToLowerInvariant();

    /// <summary>Throws the message unless the verdict is a pass, so the run fails on a breach or an inconclusive analysis.</summary>
    public void EnsurePassed()
    {
        if (Verdict != AnalysisVerdict.Pass) throw new PipelineException($"{Message} {Action}");
    }

    /// <summary>
    /// A Markdown section for the GitHub step summary: the verdict, the action, one row per check, and per objective a
    /// Mermaid chart of the observed values against the threshold.
    /// </summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"### Release analysis: {VerdictText}").AppendLine();
        text.AppendLine(Message).AppendLine().AppendLine(Action).AppendLine();
        if (Checks.Count == 0) return text.ToString();
        var objectives = Checks.SelectMany(c => c.Measurements).Select(m => m.Objective).DistinctBy(o => o.Name).ToList();
        text.AppendLine("| check | time (UTC) | verdict | " + string.Join(" | ", objectives.Select(o => o.Describe().Replace("|", "\\|"))) + " |");
        text.AppendLine("| --- | --- | --- |" + string.Concat(objectives.Select(_ => " --- |")));
        foreach (var check in Checks)
        {
            var cells = objectives.Select(o => check.Measurements.FirstOrDefault(m => m.Objective.Name == o.Name) is { } m
                ? m.HasValue ? ObjectiveMeasurement.Format(m.Value!.Value) + (m.Met ? "" : " ✗") : "no answer"
                : "—");
            text.AppendLine($"| {check.Number} | {check.Time:HH:mm:ss} | {check.Verdict.ToString().ToLowerInvariant()}{(check.Reason is null ? "" : ": " + check.Reason.Replace("|", "\\|"))} | {string.Join(" | ", cells)} |");
        }
        text.AppendLine().AppendLine($"Times are the evaluation times sent to Prometheus: {EvaluationNote(PrometheusLag)}.").AppendLine();
        // What it saw: each objective's values across the window against its threshold, per app.
        foreach (var report in PerApp)
            foreach (var series in ObjectiveSeries.Of(report.Checks))
                text.AppendLine($"#### {(Services.Count > 0 ? report.App + ": " : "")}{series.Objective.Name}").AppendLine().AppendLine(AnalysisChart.Mermaid(series));
        return text.ToString();
    }
}
