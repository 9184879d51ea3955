namespace Pipelines.Analysis;

/// <summary>
/// What the analysis checks and for how long: the objectives file (<c>apps/&lt;app&gt;/objectives.yaml</c>) as read by
/// <see cref="ObjectivesReader"/>. A check runs every <see cref="Interval"/> until <see cref="Window"/> has passed.
/// </summary>
internal sealed record AnalysisSpec
{
    /// <summary>How long the analysis watches the new release.</summary>
    public required TimeSpan Window { get; init; }
    /// <summary>Time between checks; the window holds <see cref="Checks"/> of them.</summary>
    public required TimeSpan Interval { get; init; }
    /// <summary>Failed checks tolerated; one more is a breach (Argo Rollouts' <c>failureLimit</c>, default 0).</summary>
    public int FailureLimit { get; init; }
    /// <summary>Inconclusive checks tolerated (no data, NaN, query error, too little traffic); one more ends the analysis inconclusive.</summary>
    public int InconclusiveLimit { get; init; }
    /// <summary>The volume each check needs; null judges every check whatever the traffic.</summary>
    public TrafficGate? MinimumTraffic { get; init; }
    /// <summary>The objectives (queries); at least one unless there are probes.</summary>
    public required IReadOnlyList<Objective> Objectives { get; init; }
    /// <summary>HTTP smoke checks run at every check beside the queries (<c>probes:</c>); none by default.</summary>
    public IReadOnlyList<HttpProbe> Probes { get; init; } = [];

    /// <summary>How many checks the window holds (at least one).</summary>
    public int Checks => Math.Max(1, (int)Math.Ceiling(Window.Ticks / (double)Interval.Ticks));
}
