namespace Pipelines.Analysis;

/// <summary>
/// The volume a check needs before its objectives are judged: with too little traffic a ratio says nothing
/// (0/0 is NaN, one failure in ten requests is 90 %), so such a check is inconclusive, never a pass or a breach.
/// </summary>
/// <param name="Query">PromQL returning the number of requests in the check's range, e.g. <c>sum(increase(…[{{interval}}]))</c>.</param>
/// <param name="Minimum">The fewest requests that make a check count.</param>
internal sealed record TrafficGate(string Query, double Minimum);
