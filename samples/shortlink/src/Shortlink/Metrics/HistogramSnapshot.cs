namespace Shortlink.Metrics;

/// <summary>A point-in-time copy of a <see cref="LatencyHistogram"/>.</summary>
/// <param name="Bounds">Finite upper bounds, ascending.</param>
/// <param name="CumulativeCounts">Observations ≤ each bound; one more entry than <paramref name="Bounds"/>, the last for +Inf.</param>
/// <param name="Sum">Sum of all observed values.</param>
/// <param name="Count">Number of observations (equals the +Inf bucket).</param>
public sealed record HistogramSnapshot(IReadOnlyList<double> Bounds, IReadOnlyList<long> CumulativeCounts, double Sum, long Count);
