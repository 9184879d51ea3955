namespace Pipelines.Analysis;

/// <summary>
/// A smoke check beside the SLOs (e.g. "/healthz returns 200"), declared under <c>probes:</c> in the objectives file and
/// run at every check like a query. Each check sends <see cref="Successes"/> requests back to back; the probe holds when
/// every one of them answers <see cref="Status"/> (and contains <see cref="BodyContains"/>) within <see cref="Timeout"/>.
/// An unreachable URL or a timeout is a failed request, never a pass.
/// </summary>
/// <param name="Name">Used in messages and charts (e.g. <c>healthz</c>).</param>
/// <param name="Url">An absolute http(s) URL; <c>{{app}}</c>, <c>{{namespace}}</c> and <c>{{environment}}</c> are filled in.</param>
internal sealed record HttpProbe(string Name, string Url)
{
    /// <summary>The status the probe expects (default 200).</summary>
    public int Status { get; init; } = 200;
    /// <summary>Text the body must contain (ordinal); null does not look at the body.</summary>
    public string? BodyContains { get; init; }
    /// <summary>How long one request may take (default 5 s, Flagger's query timeout).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Consecutive successful requests a check needs (default 1); the first failure ends the check's probing.</summary>
    public int Successes { get; init; } = 1;

    /// <summary>
    /// The probe as an objective, so its result sits beside the queries in checks, tables and charts: the value is how many
    /// requests in a row succeeded, the bound is <c>&gt;= </c><see cref="Successes"/>.
    /// </summary>
    public Objective AsObjective() => new(Name, Url, Comparison.AtLeast, Successes) { Probe = this };
}
