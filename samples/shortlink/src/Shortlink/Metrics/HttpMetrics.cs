using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Shortlink.Metrics;

/// <summary>Request counts and latencies per route, kept for <c>GET /metrics</c>.</summary>
public sealed class HttpMetrics
{
    /// <summary>The counter's metric name.</summary>
    public const string RequestsTotal = "shortlink_http_requests_total";

    /// <summary>The histogram's metric name.</summary>
    public const string RequestDuration = "shortlink_http_request_duration_seconds";

    private readonly ConcurrentDictionary<(string Method, string Route, int Status), StrongBox<long>> _requests = new();
    private readonly ConcurrentDictionary<(string Method, string Route), LatencyHistogram> _durations = new();

    /// <summary>Records one finished request.</summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="route">The route template (never the raw path, which would make unbounded label values).</param>
    /// <param name="status">Response status code.</param>
    /// <param name="seconds">Time from the request entering the pipeline to the response being produced.</param>
    public void Record(string method, string route, int status, double seconds)
    {
        var counter = _requests.GetOrAdd((method, route, status), static _ => new StrongBox<long>());
        Interlocked.Increment(ref counter.Value);
        _durations.GetOrAdd((method, route), static _ => new LatencyHistogram(LatencyHistogram.DefaultBounds)).Observe(seconds);
    }

    /// <summary>Writes all metrics in the Prometheus text exposition format 0.0.4.</summary>
    /// <param name="writer">Receives the text.</param>
    /// <param name="linksStored">Current size of the link store, exposed as a gauge.</param>
    public void WriteTo(TextWriter writer, int linksStored)
    {
        var text = new PrometheusTextWriter(writer);

        text.Family(RequestsTotal, "counter", "HTTP requests handled, by method, route template and status code.");
        foreach (var (key, counter) in _requests.OrderBy(e => e.Key.Route, StringComparer.Ordinal).ThenBy(e => e.Key.Method, StringComparer.Ordinal).ThenBy(e => e.Key.Status))
            text.Sample(RequestsTotal, [("method", key.Method), ("route", key.Route), ("status", key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))], Interlocked.Read(ref counter.Value));

        text.Family(RequestDuration, "histogram", "HTTP request duration in seconds, by method and route template.");
        foreach (var (key, histogram) in _durations.OrderBy(e => e.Key.Route, StringComparer.Ordinal).ThenBy(e => e.Key.Method, StringComparer.Ordinal))
            text.Histogram(RequestDuration, [("method", key.Method), ("route", key.Route)], histogram.Snapshot());

        text.Family("shortlink_links_stored", "gauge", "Links currently held by the store.");
        text.Sample("shortlink_links_stored", [], linksStored);
    }
}
