namespace Pipelines.Analysis;

/// <summary>One analysis of one release of an app in one environment.</summary>
/// <param name="App">The app (fills <c>{{app}}</c>).</param>
/// <param name="Environment">The environment analysed (fills <c>{{environment}}</c>).</param>
/// <param name="Namespace">The app's namespace there (fills <c>{{namespace}}</c>).</param>
/// <param name="Spec">Objectives, window, interval and limits.</param>
internal sealed record AnalysisRequest(string App, string Environment, string Namespace, AnalysisSpec Spec)
{
    /// <summary>The Deployment whose rollout must finish first; null skips the rollout check.</summary>
    public RolloutWaitOptions? Rollout { get; init; }

    /// <summary>
    /// How long after its evaluation time (the window's start + n × interval) each check is asked (<c>--prometheus-lag</c>):
    /// a managed or remote-write Prometheus ingests late, so asking at once would see an incomplete last interval. Zero
    /// for a Prometheus that scrapes the service itself; never negative.
    /// </summary>
    public TimeSpan PrometheusLag { get; init; }

    /// <summary>Fills <c>{{interval}}</c>, <c>{{window}}</c>, <c>{{app}}</c>, <c>{{environment}}</c> and <c>{{namespace}}</c> into a query.</summary>
    public string Render(string query) => query
        .Replace("{{interval}}", Durations.Format(Spec.Interval))
        .Replace("{{window}}", Durations.Format(Spec.Window))
        .Replace("{{app}}", App)
        .Replace("{{environment}}", Environment)
        .Replace("{{namespace}}", Namespace);
}
