using Pipelines.Analysis;

namespace Pipelines.Tests.Analysis;

public class ObjectivesReaderTests
{
    private const string Valid = """
        window: 5m
        interval: 1m
        failureLimit: 2
        minimumTraffic:
          query: sum(increase(x[{{interval}}]))
          requests: 20
        objectives:
          - name: availability
            query: sum(rate(good[{{interval}}])) / sum(rate(all[{{interval}}]))
            comparison: ">="
            threshold: 0.999
          - name: p95
            query: histogram_quantile(0.95, sum by (le) (rate(b{namespace="{{namespace}}"}[{{window}}])))
            comparison: "<"
            threshold: 0.3
        """;

    [Fact]
    public void An_objectives_file_gives_window_interval_limits_gate_and_objectives()
    {
        var spec = ObjectivesReader.Parse(Valid, "objectives.yaml");

        Assert.Equal(TimeSpan.FromMinutes(5), spec.Window);
        Assert.Equal(5, spec.Checks);
        Assert.Equal(2, spec.FailureLimit);
        Assert.Equal(0, spec.InconclusiveLimit);
        Assert.Equal(20, spec.MinimumTraffic!.Minimum);
        Assert.Equal(["availability >= 0.999", "p95 < 0.3"], spec.Objectives.Select(o => o.Describe()));
        var request = new AnalysisRequest("shortlink", "staging", "shortlink-staging", spec);
        Assert.Equal("histogram_quantile(0.95, sum by (le) (rate(b{namespace=\"shortlink-staging\"}[5m])))", request.Render(spec.Objectives[1].Query));
    }

    [Fact]
    public void The_shipped_shortlink_objectives_ask_for_three_nines_and_a_p95_under_300_ms()
    {
        var spec = ObjectivesReader.ReadFile(Path.Combine(Support.TestPaths.RepositoryRoot, "manifests", "apps", "shortlink", "objectives.yaml"));

        Assert.Equal(["availability >= 0.999", "p95-latency-seconds < 0.3"], spec.Objectives.Select(o => o.Describe()));
    }

    [Theory]
    [InlineData("comparison: \">=\"", "comparison: \"=>\"", "has comparison `=>`; use one of >=, >, <=, <")]
    [InlineData("window: 5m", "window: soon", "`window: soon` in `objectives.yaml` is not a duration")]
    [InlineData("interval: 1m", "interval: 10m", "interval (10m) is longer than window (5m)")]
    [InlineData("threshold: 0.999", "threshold: high", "`threshold: high` of the objective `availability`")]
    [InlineData("  - name: p95", "  - name: availability", "declares the objective `availability` twice")]
    [InlineData("    query: sum(rate(good", "    noquery: sum(rate(good", "objective `availability` in `objectives.yaml` has no query")]
    public void A_mistake_is_reported_with_the_field_to_fix(string find, string replace, string expected)
    {
        var error = Assert.Throws<PipelineException>(() => ObjectivesReader.Parse(Valid.Replace(find, replace), "objectives.yaml"));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_missing_file_says_where_objectives_are_looked_for()
    {
        var error = Assert.Throws<PipelineException>(() => ObjectivesReader.ReadFile("/nonexistent/objectives.yaml"));

        Assert.Contains("--objectives", error.Message);
        Assert.Contains("apps/<app>/objectives.yaml", error.Message);
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("1e-07", 1e-07)]
    [InlineData("0.999", 0.999)]
    public void Prometheus_values_are_read_as_go_writes_them(string text, double expected)
    {
        Assert.Equal(expected, PrometheusClient.ParseValue(text));
    }
}
