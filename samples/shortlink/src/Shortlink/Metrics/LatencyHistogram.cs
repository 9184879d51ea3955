namespace Shortlink.Metrics;

/// <summary>A Prometheus-style histogram of durations in seconds, safe for concurrent use.</summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds (seconds) of the buckets: Prometheus client defaults, 5 ms to 10 s.</summary>
    public static readonly IReadOnlyList<double> DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _bounds;
    private readonly long[] _counts; // per bucket, not cumulative; the last slot is +Inf
    private readonly Lock _lock = new();
    private double _sum;

    /// <summary>Creates a histogram with the given ascending upper bounds (+Inf is implied).</summary>
    public LatencyHistogram(IReadOnlyList<double> bounds)
    {
        for (var i = 1; i < bounds.Count; i++)
            if (!(bounds[i] > bounds[i - 1]))
                throw new ArgumentException("Bucket bounds must be strictly ascending.", nameof(bounds));
        _bounds = [.. bounds];
        _counts = new long[_bounds.Length + 1];
    }

    /// <summary>Records one observation.</summary>
    public void Observe(double seconds)
    {
        var index = Array.BinarySearch(_bounds, seconds);
        // A value equal to a bound belongs to that bucket (le = "less or equal"); otherwise take the next bound up.
        if (index < 0)
            index = ~index;
        lock (_lock)
        {
            _counts[index]++;
            _sum += seconds;
        }
    }

    /// <summary>A consistent copy: cumulative counts per bound, then sum and total count.</summary>
    public HistogramSnapshot Snapshot()
    {
        lock (_lock)
        {
            var cumulative = new long[_counts.Length];
            long running = 0;
            for (var i = 0; i < _counts.Length; i++)
                cumulative[i] = running += _counts[i];
            return new HistogramSnapshot(_bounds, cumulative, _sum, running);
        }
    }
}
