using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Analysis;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Analysis;

/// <summary>
/// When the checks look and when they ask, against a Prometheus that records both: with --prometheus-lag at least the
/// interval, every evaluated instant is still inside the window (after Analyze started), and each is asked only once the
/// lag has passed. A negative lag is refused before any query.
/// </summary>
public sealed class PrometheusLagScheduleTests
{
    private sealed record Asked(DateTimeOffset ArrivedAt, DateTimeOffset EvaluatedAt);

    /// <summary>A Prometheus whose every query answers one sample of 1, recording when it was asked and for which instant.</summary>
    private static Task<FakeServer> StartAsync(List<Asked> asked) => FakeServer.StartAsync(app =>
        app.MapPost("/api/v1/query", async (HttpRequest request) =>
        {
            var arrived = DateTimeOffset.UtcNow;
            var form = await request.ReadFormAsync();
            var time = DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(form["time"]!, CultureInfo.InvariantCulture) * 1000));
            lock (asked) asked.Add(new Asked(arrived, time));
            return Results.Text("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[0,"1"]}]}}""", "application/json");
        }));

    private static AnalysisSpec Spec => new()
    {
        Window = TimeSpan.FromSeconds(2),
        Interval = TimeSpan.FromSeconds(1),
        Objectives = [new Objective("up", "up", Comparison.AtLeast, 1)],
    };

    [Fact]
    public async Task With_a_lag_longer_than_the_interval_each_check_judges_an_instant_inside_the_window_and_is_asked_a_lag_later()
    {
        // Arrange: lag 2s > interval 1s, which used to evaluate check 1 at start − 1s (the previous release's traffic).
        var asked = new List<Asked>();
        await using var prometheus = await StartAsync(asked);
        using var client = new PrometheusClient(prometheus.Url, queryTimeout: TimeSpan.FromSeconds(5));
        var lag = TimeSpan.FromSeconds(2);
        var log = new MemoryLog();

        // Act: MeasureAsync alone, so every query recorded is a check's.
        var started = DateTimeOffset.UtcNow;
        var report = await new ReleaseAnalyzer(client, log)
            .MeasureAsync(new AnalysisRequest("shortlink", "staging", "shortlink-staging", Spec) { PrometheusLag = lag }, CancellationToken.None);

        // Assert: check n evaluated at start + n × interval (never before the window), asked at least the lag after it.
        Assert.Equal(AnalysisVerdict.Pass, report.Verdict);
        Assert.Equal(2, asked.Count);
        var tolerance = TimeSpan.FromMilliseconds(500);
        foreach (var (query, number) in asked.Select((a, i) => (a, i + 1)))
        {
            Assert.InRange(query.EvaluatedAt, started + Spec.Interval * number - TimeSpan.FromMilliseconds(5), started + Spec.Interval * number + tolerance);
            Assert.True(query.ArrivedAt >= query.EvaluatedAt + lag - TimeSpan.FromMilliseconds(20),
                $"check {number} evaluated at {query.EvaluatedAt:HH:mm:ss.fff} was asked at {query.ArrivedAt:HH:mm:ss.fff}, before the {lag} lag had passed");
            Assert.Equal(query.EvaluatedAt.ToUnixTimeMilliseconds(), report.Checks[number - 1].Time.ToUnixTimeMilliseconds());
        }
        Assert.Contains("Checks evaluated at the window's start + n × interval, each asked 2s later (--prometheus-lag); HTTP probes ran when asked (they cannot look back)", report.Message);
    }

    [Fact]
    public async Task A_negative_lag_is_refused_before_any_query()
    {
        var asked = new List<Asked>();
        await using var prometheus = await StartAsync(asked);
        using var client = new PrometheusClient(prometheus.Url, queryTimeout: TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<PipelineException>(() => new ReleaseAnalyzer(client, new MemoryLog()).AnalyzeAsync(
            new AnalysisRequest("shortlink", "staging", "shortlink-staging", Spec) { PrometheusLag = TimeSpan.FromSeconds(-30) },
            ReleaseActions.None, CancellationToken.None));

        Assert.Contains("the Prometheus lag is negative", error.Message);
        Assert.Contains("--prometheus-lag", error.Message);
        Assert.Empty(asked);
    }
}
