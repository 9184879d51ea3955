namespace Pipelines.Analysis;

/// <summary>
/// One verdict for a deploy of several services, each analysed against its own objectives: a breach of any is a breach,
/// a pass needs every service to pass, anything else is inconclusive (never a pass). The verdict acts once, on the one
/// deploy commit: a rollback reverts it whole, a promotion ships every service together.
/// </summary>
internal static class CombinedReleaseReport
{
    /// <summary>Combines the services' reports (analysed with no actions), takes the action the combined verdict calls for, and returns the report.</summary>
    public static async Task<AnalysisReport> ActAsync(string environment, IReadOnlyList<string> services, IReadOnlyList<AnalysisReport> reports, ReleaseActions actions, CancellationToken cancellationToken)
    {
        var verdict = Combine(reports.Select(r => r.Verdict));
        var message = string.Join(" ", services.Zip(reports)
            .Where(x => verdict == AnalysisVerdict.Pass || x.Second.Verdict != AnalysisVerdict.Pass)
            .Select(x => $"{x.First}: {x.Second.Message}"));
        var action = await actions.ActAsync(verdict, environment, cancellationToken);
        var checks = reports.SelectMany(r => r.Checks).ToList();
        return new AnalysisReport(verdict, message, checks, action, reports.Max(r => r.Duration))
        {
            Environment = environment,
            PrometheusLag = reports.Max(r => r.PrometheusLag),
            Services = [.. services.Zip(reports, (app, report) => report with { App = app })],
        };
    }

    /// <summary>Breach if any breached (the data of that service is evidence), else error if Prometheus failed any, else pass if all passed, else inconclusive.</summary>
    public static AnalysisVerdict Combine(IEnumerable<AnalysisVerdict> verdicts)
    {
        var all = verdicts.ToList();
        if (all.Count == 0) return AnalysisVerdict.Inconclusive;
        if (all.Contains(AnalysisVerdict.Breach)) return AnalysisVerdict.Breach;
        if (all.Contains(AnalysisVerdict.Error)) return AnalysisVerdict.Error;
        return all.All(v => v == AnalysisVerdict.Pass) ? AnalysisVerdict.Pass : AnalysisVerdict.Inconclusive;
    }
}
