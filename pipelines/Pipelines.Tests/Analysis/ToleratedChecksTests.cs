using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Analysis;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Analysis;

/// <summary>Limits tolerate a bad check among good ones; they never turn a run without a good check into a pass.</summary>
public sealed class ToleratedChecksTests
{
    [Fact]
    public async Task Checks_that_all_stayed_within_the_inconclusive_limit_are_no_pass()
    {
        // A Prometheus that knows no series: every check is inconclusive (an empty vector). The client POSTs its queries:
        // a GET-only fake answered 405, which used to pass for "no data" and is now a configuration error.
        await using var prometheus = await FakeServer.StartAsync(app =>
            app.MapPost("/api/v1/query", () => Results.Text("""{"status":"success","data":{"resultType":"vector","result":[]}}""", "application/json")));
        using var client = new PrometheusClient(prometheus.Url, queryTimeout: TimeSpan.FromSeconds(5));
        var spec = new AnalysisSpec
        {
            Window = TimeSpan.FromSeconds(2),
            Interval = TimeSpan.FromSeconds(1),
            InconclusiveLimit = 2,
            Objectives = [new Objective("up", "up", Comparison.AtLeast, 1)],
        };
        var promoted = false;

        var report = await new ReleaseAnalyzer(client, new MemoryLog()).AnalyzeAsync(
            new AnalysisRequest("shortlink", "staging", "shortlink-staging", spec),
            new ReleaseActions { Promote = _ => { promoted = true; return Task.FromResult("promoted"); } },
            CancellationToken.None);

        Assert.Equal(AnalysisVerdict.Inconclusive, report.Verdict);
        Assert.Contains("none of its 2 checks kept every objective", report.Message);
        Assert.False(promoted);
    }
}
