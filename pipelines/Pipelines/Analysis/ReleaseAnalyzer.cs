using System.Diagnostics;
using Pipelines.Logging;

namespace Pipelines.Analysis;

/// <summary>
/// Release verification after a deploy: waits for Flux and the Deployment's rollout, then checks the app's
/// objectives against Prometheus every interval for a window, and acts on the verdict (promote on a pass, roll
/// back on a breach). Fails closed: data without an answer is inconclusive, never a pass; Prometheus failing to answer
/// (unreachable, credentials, a bad query, a server error) is a configuration error, found before the window
/// (<see cref="ValidateAsync"/>) and never a verdict on the release.
/// </summary>
internal sealed class ReleaseAnalyzer(PrometheusClient prometheus, ILog log, IDeploymentStatusSource? deployments = null)
{
    // One client for every probe of the process: probes carry no credentials, and sockets are reused across checks.
    private static readonly HttpProber Prober = new();

    /// <summary>Measures the release (<see cref="MeasureAsync"/>), then acts on the verdict through <paramref name="actions"/>.</summary>
    public async Task<AnalysisReport> AnalyzeAsync(AnalysisRequest request, ReleaseActions actions, CancellationToken cancellationToken)
    {
        await ValidateAsync(request, cancellationToken);
        var report = await MeasureAsync(request, cancellationToken);
        var action = await actions.ActAsync(report.Verdict, request.Environment, cancellationToken);
        log.Info(action);
        return report with { Action = action };
    }

    /// <summary>
    /// Runs every query of the request once, at now, before anything waits: an unreachable URL, refused credentials, a
    /// query Prometheus rejects or a server error throw a <see cref="PipelineException"/> naming the fix (every bad query
    /// at once). Empty results and NaN are fine here: they are data, judged during the window.
    /// </summary>
    public async Task ValidateAsync(AnalysisRequest request, CancellationToken cancellationToken)
    {
        var subject = $"{request.App} in {request.Environment}";
        // A negative lag would ask about instants that have not happened yet; --prometheus-lag cannot be negative, C# can.
        if (request.PrometheusLag < TimeSpan.Zero)
            throw new PipelineException($"Analysis of {subject} cannot start: the Prometheus lag is negative ({request.PrometheusLag}); set PrometheusLag (--prometheus-lag) to 0s or to the measured ingestion delay, e.g. 30s. Nothing was judged and nothing rolled back.");
        var queries = (request.Spec.MinimumTraffic is { } gate ? [("minimumTraffic", gate.Query)] : Array.Empty<(string, string)>())
            .Concat(request.Spec.Objectives.Select(o => (o.Name, o.Query)));
        var now = DateTimeOffset.UtcNow - request.PrometheusLag;
        var rejected = new List<string>();
        foreach (var (name, query) in queries)
        {
            try { await prometheus.QueryAsync(request.Render(query), now, cancellationToken); }
            catch (PrometheusException e) when (e.Failure == PrometheusFailure.QueryError) { rejected.Add($"{name}: {e.Message}"); }
            catch (PrometheusException e)
            {
                // Unreachable, refused or failing: the same for every query, so the first says it all.
                throw new PipelineException($"Analysis of {subject} cannot start: {e.Message} Nothing was judged and nothing rolled back.", e);
            }
        }
        if (rejected.Count > 0)
            throw new PipelineException($"Analysis of {subject} cannot start: {rejected.Count} of its queries cannot run: {string.Join(" ", rejected)} Nothing was judged and nothing rolled back.");
    }

    /// <summary>
    /// Waits for the rollout, then checks the objectives every interval for the window, and gives the verdict with the
    /// checks that decided it; acts on nothing (the report's action is empty).
    /// </summary>
    public async Task<AnalysisReport> MeasureAsync(AnalysisRequest request, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var (verdict, message, checks) = await DecideAsync(request, cancellationToken);
        if (checks.Count > 0)
            message += $" {char.ToUpperInvariant(AnalysisReport.EvaluationNote(request.PrometheusLag)[0])}{AnalysisReport.EvaluationNote(request.PrometheusLag)[1..]}; the last evaluated at {checks[^1].Time:yyyy-MM-dd HH:mm:ss}Z.";
        log.Info(message);
        var report = new AnalysisReport(verdict, message, checks, "", watch.Elapsed) { App = request.App, Environment = request.Environment, PrometheusLag = request.PrometheusLag };
        if (checks.Count > 0) log.Info(AnalysisChart.TerminalTable(report));
        return report;
    }

    private async Task<(AnalysisVerdict, string, IReadOnlyList<AnalysisCheck>)> DecideAsync(AnalysisRequest request, CancellationToken cancellationToken)
    {
        var spec = request.Spec;
        var subject = $"{request.App} in {request.Environment}";

        // 1. The Deployment has rolled out; a progress deadline exceeded is a failed release.
        if (request.Rollout is { } rollout)
        {
            if (deployments is null)
                throw new InvalidOperationException("A rollout check needs an IDeploymentStatusSource.");
            RolloutState state;
            try { state = await new RolloutWatcher(deployments, log).WaitAsync(rollout, cancellationToken); }
            catch (PipelineException e)
            {
                return (AnalysisVerdict.Inconclusive, $"Analysis of {subject} inconclusive: the rollout could not be read. {e.Message}", []);
            }
            if (state.Phase == RolloutPhase.Failed)
                return (AnalysisVerdict.Breach, $"Release of {subject} breached: {state.Message}.", []);
            if (state.Phase == RolloutPhase.Waiting)
                return (AnalysisVerdict.Inconclusive, $"Analysis of {subject} inconclusive: {state.Message}; check `kubectl rollout status deployment/{rollout.Name} -n {rollout.Namespace}` and raise --rollout-timeout if it is just slow.", []);
        }

        // 2. A check every interval until the window has passed, each at a fixed evaluation time.
        log.Info($"Analysing {subject}: {spec.Checks} checks every {Durations.Format(spec.Interval)} over {Durations.Format(spec.Window)} against {prometheus.BaseUrl}"
            + (request.PrometheusLag > TimeSpan.Zero ? $", each queried {Durations.Format(request.PrometheusLag)} after its evaluation time (--prometheus-lag)" : "")
            + (spec.Probes.Count > 0 ? $", with {spec.Probes.Count} HTTP probe{(spec.Probes.Count == 1 ? "" : "s")}" : "") + ".");
        var checks = new List<AnalysisCheck>();
        var start = DateTimeOffset.UtcNow;
        for (var number = 1; number <= spec.Checks; number++)
        {
            // Check n judges the instant start + n·interval, and is asked only once a lagging Prometheus has ingested it
            // (lag later): evaluating "now − lag" instead would judge traffic from before the window, the previous
            // release's, whenever lag ≥ interval. HTTP probes cannot look back: they run when the check is asked.
            var at = start + spec.Interval * number;
            if (at + request.PrometheusLag - DateTimeOffset.UtcNow is { Ticks: > 0 } wait) await Task.Delay(wait, cancellationToken);
            var check = await CheckAsync(request, number, at, cancellationToken);
            checks.Add(check);
            log.Info($"Check {number}/{spec.Checks} at {check.Time:HH:mm:ss}Z: {check.Verdict.ToString().ToLowerInvariant()}"
                + (check.Measurements.Count == 0 ? "" : " — " + string.Join("; ", check.Measurements.Select(m => m.Describe())))
                + (check.Reason is null || check.Measurements.Any(m => m.Describe() == check.Reason) || check.Verdict == AnalysisVerdict.Breach ? "" : $" — {check.Reason}"));

            // 3. Stop as soon as a limit is exceeded: more checks cannot change the verdict.
            var failed = checks.Where(c => c.Verdict == AnalysisVerdict.Breach).ToList();
            if (failed.Count > spec.FailureLimit)
                return (AnalysisVerdict.Breach, BreachMessage(subject, failed, spec), checks);
            // Checks without an answer share the limit (a blip is tolerated); past it, one that Prometheus failed makes an error, not a verdict.
            var unanswered = checks.Where(c => c.Verdict is AnalysisVerdict.Inconclusive or AnalysisVerdict.Error).ToList();
            if (unanswered.Count > spec.InconclusiveLimit && unanswered.LastOrDefault(c => c.Verdict == AnalysisVerdict.Error) is { } error)
                return (AnalysisVerdict.Error, $"Analysis of {subject} stopped at check {number} of {spec.Checks}: Prometheus could not answer, which says nothing about the release: {error.Reason}", checks);
            if (unanswered.Count > spec.InconclusiveLimit)
                return (AnalysisVerdict.Inconclusive, $"Analysis of {subject} inconclusive at check {number} of {spec.Checks}: {unanswered[^1].Reason}", checks);
        }

        var passed = checks.Count(c => c.Verdict == AnalysisVerdict.Pass);
        // Tolerated failures and gaps never add up to a pass on their own: a pass needs a check that kept every objective.
        if (checks.LastOrDefault(c => c.Verdict == AnalysisVerdict.Pass) is not { } last)
            return (AnalysisVerdict.Inconclusive, $"Analysis of {subject} inconclusive: none of its {checks.Count} checks kept every objective (the failures and gaps stayed within their limits, which is no evidence of a good release).", checks);
        return (AnalysisVerdict.Pass,
            $"Release of {subject} passed: {passed} of {checks.Count} checks kept every objective (last: {string.Join("; ", last.Measurements.Select(m => m.Describe()))}).", checks);
    }

    private static string BreachMessage(string subject, IReadOnlyList<AnalysisCheck> failed, AnalysisSpec spec)
    {
        var breached = failed[^1].Measurements.Where(m => m.Breached).ToList();
        return $"Release of {subject} breached its objectives: {string.Join("; ", breached.Select(m => m.Describe()))} " +
               $"— {failed.Count} failed check{(failed.Count == 1 ? "" : "s")}, failure limit {spec.FailureLimit}.";
    }

    /// <summary>
    /// Runs the probes (whatever the traffic: a failing /healthz is a failed check), then measures every objective at
    /// <paramref name="at"/>, the traffic gate first.
    /// </summary>
    private async Task<AnalysisCheck> CheckAsync(AnalysisRequest request, int number, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var probes = new List<ObjectiveMeasurement>();
        foreach (var probe in request.Spec.Probes)
            probes.Add(await Prober.ProbeAsync(probe, request.Render(probe.Url), cancellationToken));
        // A failed probe fails the check whatever the traffic says about the queries.
        AnalysisCheck? ProbeBreach() => probes.Any(m => m.Breached)
            ? new AnalysisCheck(number, at, AnalysisVerdict.Breach, probes, string.Join("; ", probes.Where(m => m.Breached).Select(m => m.Describe())))
            : null;

        if (request.Spec.MinimumTraffic is { } gate)
        {
            var traffic = await MeasureAsync(new Objective("traffic", gate.Query, Comparison.AtLeast, gate.Minimum), request, at, cancellationToken);
            if (traffic.Failure is not null) return ProbeBreach() ?? new AnalysisCheck(number, at, AnalysisVerdict.Error, probes, $"the traffic query failed: {traffic.Problem}");
            var reason = traffic switch
            {
                { HasValue: false } => $"the traffic query gave no answer: {traffic.Problem}",
                { Met: false } => $"only {ObjectiveMeasurement.Format(traffic.Value!.Value)} requests in the check's range, fewer than minimumTraffic.requests ({ObjectiveMeasurement.Format(gate.Minimum)}); check that the service receives traffic, or lower the minimum.",
                _ => null,
            };
            if (reason is not null) return ProbeBreach() ?? new AnalysisCheck(number, at, AnalysisVerdict.Inconclusive, probes, reason);
        }

        var measurements = new List<ObjectiveMeasurement>(probes);
        foreach (var objective in request.Spec.Objectives)
            measurements.Add(await MeasureAsync(objective, request, at, cancellationToken));
        if (measurements.Any(m => m.Breached))
            return new AnalysisCheck(number, at, AnalysisVerdict.Breach, measurements, string.Join("; ", measurements.Where(m => m.Breached).Select(m => m.Describe())));
        if (measurements.FirstOrDefault(m => m.Failure is not null) is { } failed)
            return new AnalysisCheck(number, at, AnalysisVerdict.Error, measurements, failed.Describe());
        if (measurements.FirstOrDefault(m => !m.HasValue) is { } missing)
            return new AnalysisCheck(number, at, AnalysisVerdict.Inconclusive, measurements, missing.Describe());
        return new AnalysisCheck(number, at, AnalysisVerdict.Pass, measurements, null);
    }

    /// <summary>One query: a single finite (or infinite) value, or the reason there is none (data, or Prometheus's failure). Never throws for Prometheus's sake.</summary>
    private async Task<ObjectiveMeasurement> MeasureAsync(Objective objective, AnalysisRequest request, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var query = request.Render(objective.Query);
        IReadOnlyList<PrometheusSample> samples;
        try { samples = await prometheus.QueryAsync(query, at, cancellationToken); }
        catch (PrometheusException e)
        {
            var kind = e.Failure switch
            {
                PrometheusFailure.Unreachable => "Prometheus unreachable",
                PrometheusFailure.Unauthorized => "Prometheus refused the credentials",
                PrometheusFailure.ServerError => "Prometheus failed",
                _ => "query error",
            };
            return new ObjectiveMeasurement(objective, null, $"{kind}: {e.Message}") { Failure = e.Failure };
        }
        return samples.Count switch
        {
            0 => new ObjectiveMeasurement(objective, null,
                $"empty vector (no series matched `{query}`); check that Prometheus scrapes the service (`up`), the labels in the query, and that the range covers at least two scrapes."),
            > 1 => new ObjectiveMeasurement(objective, null,
                $"{samples.Count} series returned; aggregate the query to one value (e.g. sum(...))."),
            _ when double.IsNaN(samples[0].Value) => new ObjectiveMeasurement(objective, null,
                "NaN (no traffic in the range: 0/0 or a histogram without observations); check that the service receives traffic."),
            _ => new ObjectiveMeasurement(objective, samples[0].Value, null),
        };
    }
}
