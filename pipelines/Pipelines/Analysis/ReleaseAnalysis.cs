using Pipelines.Logging;

namespace Pipelines.Analysis;

/// <summary>
/// Analyze for a deploy of one or several services: Flux is waited for once (the deploy is one commit), each service
/// with objectives is measured side by side, and one verdict acts once on that commit: any breach rolls back, a
/// promotion needs every service to pass. A Flux wait that fails is inconclusive, never a pass and never a breach. Every
/// query is validated first: a configuration error throws before anything waits or acts.
/// </summary>
internal sealed class ReleaseAnalysis(PrometheusClient prometheus, ILog log, IDeploymentStatusSource? deployments = null)
{
    /// <summary>
    /// Runs every query of every request once against Prometheus (<see cref="ReleaseAnalyzer.ValidateAsync"/>): what
    /// Analyze's Requires check calls before any target runs, and the analysis again before its window.
    /// </summary>
    public async Task ValidateAsync(IReadOnlyList<AnalysisRequest> requests, CancellationToken cancellationToken)
    {
        foreach (var request in requests)
            await new ReleaseAnalyzer(prometheus, log, deployments).ValidateAsync(request, cancellationToken);
    }

    /// <summary>Measures every request, then acts on the verdict; the report says what happened.</summary>
    /// <param name="requests">One per analysed service, all of one environment.</param>
    /// <param name="waitForFlux">Waits until Flux reports the deploy commit applied; null does not wait.</param>
    public async Task<AnalysisReport> AnalyzeAsync(IReadOnlyList<AnalysisRequest> requests, Func<CancellationToken, Task>? waitForFlux, ReleaseActions actions, CancellationToken cancellationToken)
    {
        if (requests.Count == 0) throw new ArgumentException("An analysis needs at least one service.", nameof(requests));
        var environment = requests[0].Environment;
        // Configuration errors first, before any wait: they fail the run and never reach the actions.
        await ValidateAsync(requests, cancellationToken);
        var started = DateTimeOffset.UtcNow;
        string? fluxProblem = null;
        if (waitForFlux is not null)
        {
            try { await waitForFlux(cancellationToken); }
            catch (PipelineException e) { fluxProblem = e.Message; }
        }

        IReadOnlyList<AnalysisReport> reports;
        if (fluxProblem is not null)
        {
            reports = [.. requests.Select(r => new AnalysisReport(AnalysisVerdict.Inconclusive,
                $"Analysis of {r.App} in {r.Environment} inconclusive: Flux did not report the deploy applied. {fluxProblem}", [], "", DateTimeOffset.UtcNow - started)
                { App = r.App, Environment = r.Environment, PrometheusLag = r.PrometheusLag })];
            foreach (var report in reports) log.Info(report.Message);
        }
        else
        {
            reports = await Task.WhenAll(requests.Select(r =>
                new ReleaseAnalyzer(prometheus, requests.Count == 1 ? log : new PrefixedLog(log, r.App), deployments).MeasureAsync(r, cancellationToken)));
        }

        if (reports is [var only])
        {
            var action = await actions.ActAsync(only.Verdict, environment, cancellationToken);
            log.Info(action);
            return only with { Action = action };
        }
        var combined = await CombinedReleaseReport.ActAsync(environment, [.. requests.Select(r => r.App)], reports, actions, cancellationToken);
        log.Info(combined.Action);
        return combined;
    }
}
