using Shortlink.Metrics;

namespace Shortlink.Tests;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Label_values_escape_backslash_quote_and_newline()
    {
        var text = new StringWriter();

        new PrometheusTextWriter(text).Sample("m", [("path", "a\\b\"c\nd")], 1);

        Assert.Equal("m{path=\"a\\\\b\\\"c\\nd\"} 1\n", text.ToString());
        Assert.Equal("a\\b\"c\nd", PrometheusScrape.Parse(text.ToString()).Samples[0].Labels["path"]);
    }

    [Fact]
    public void Help_text_escapes_backslash_and_newline()
    {
        var text = new StringWriter();

        new PrometheusTextWriter(text).Family("m", "gauge", "first\\line\nsecond");

        Assert.Equal("# HELP m first\\\\line\\nsecond\n# TYPE m gauge\n", text.ToString());
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(0.005, "0.005")]
    [InlineData(2.5, "2.5")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Values_use_the_invariant_round_trip_form(double value, string expected) =>
        Assert.Equal(expected, PrometheusTextWriter.FormatValue(value));

    [Fact]
    public void A_histogram_writes_cumulative_buckets_then_sum_and_count()
    {
        // Arrange: one value below the first bound, one exactly on the second (le is "less or equal"), one beyond the last.
        var histogram = new LatencyHistogram([0.1, 1]);
        histogram.Observe(0.05);
        histogram.Observe(1);
        histogram.Observe(30);
        var text = new StringWriter();

        // Act
        new PrometheusTextWriter(text).Histogram("h", [("route", "/x")], histogram.Snapshot());

        // Assert
        Assert.Equal(
            "h_bucket{route=\"/x\",le=\"0.1\"} 1\n" +
            "h_bucket{route=\"/x\",le=\"1\"} 2\n" +
            "h_bucket{route=\"/x\",le=\"+Inf\"} 3\n" +
            "h_sum{route=\"/x\"} 31.05\n" +
            "h_count{route=\"/x\"} 3\n",
            text.ToString());
    }

    [Fact]
    public void Histogram_bounds_must_ascend() =>
        Assert.Throws<ArgumentException>(() => new LatencyHistogram([1, 0.5]));

    [Fact]
    public async Task Concurrent_observations_are_all_counted()
    {
        var histogram = new LatencyHistogram(LatencyHistogram.DefaultBounds);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
                histogram.Observe(0.001);
        })));

        var snapshot = histogram.Snapshot();
        Assert.Equal(80_000, snapshot.Count);
        Assert.All(snapshot.CumulativeCounts, c => Assert.Equal(80_000, c));
    }
}
