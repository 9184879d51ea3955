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
    [InlineData("window: 5m", "window: soon", "objectives.yaml:1:9: `window: soon` is not a duration")]
    [InlineData("interval: 1m", "interval: 10m", "interval (10m) is longer than window (5m)")]
    [InlineData("threshold: 0.999", "threshold: high", "`threshold: high` of the objective `availability`")]
    [InlineData("  - name: p95", "  - name: availability", "objectives.yaml:12:11: the objective `availability` is declared twice")]
    [InlineData("    query: sum(rate(good", "    noquery: sum(rate(good", "the objective `availability` has no query")]
    [InlineData("    threshold: 0.999", "    treshold: 0.999", "objectives.yaml:11:5: `treshold` is not a field of the objective `availability`; use name, query, comparison, threshold")]
    public void A_mistake_is_reported_with_the_field_to_fix(string find, string replace, string expected)
    {
        var error = Assert.Throws<PipelineException>(() => ObjectivesReader.Parse(Valid.Replace(find, replace), "objectives.yaml"));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Every_mistake_of_a_file_is_reported_at_once_with_line_and_column()
    {
        var text = Valid.Replace("window: 5m", "window: 5").Replace("comparison: \">=\"", "comparison: \">>\"").Replace("threshold: 0.999", "threshold: high");

        var error = Assert.Throws<PipelineException>(() => ObjectivesReader.Parse(text, "apps/shortlink/objectives.yaml"));

        Assert.StartsWith("The objectives file has 3 errors:", error.Message);
        Assert.Contains("apps/shortlink/objectives.yaml:1:9: `window: 5` is not a duration; use a form such as 30s, 5m or 1h (a unit is required).", error.Message);
        Assert.Contains("apps/shortlink/objectives.yaml:10:17: the objective `availability` has comparison `>>`; use one of >=, >, <=, <.", error.Message);
        Assert.Contains("apps/shortlink/objectives.yaml:11:16: `threshold: high` of the objective `availability` is not a non-negative number.", error.Message);
    }

    [Fact]
    public void A_yaml_syntax_error_gives_its_line_and_column()
    {
        var error = Assert.Throws<PipelineException>(() => ObjectivesReader.Parse("window: 5m\ninterval: [1m\n", "objectives.yaml"));

        Assert.Matches(@"^objectives\.yaml:\d+:\d+: the objectives file is not valid YAML", error.Message);
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

    [Fact]
    public void Probes_sit_beside_the_objectives_with_their_defaults_and_every_probe_mistake_is_reported_at_once_with_line_and_column()
    {
        var probes = Valid + """

            probes:
              - name: healthz
                url: http://{{app}}.{{namespace}}.svc/healthz
              - name: home
                url: https://example.com/
                status: 204
                body: welcome
                timeout: 2s
                successes: 3
            """;
        var spec = ObjectivesReader.Parse(probes, "objectives.yaml");
        Assert.Equal([new HttpProbe("healthz", "http://{{app}}.{{namespace}}.svc/healthz"),
            new HttpProbe("home", "https://example.com/") { Status = 204, BodyContains = "welcome", Timeout = TimeSpan.FromSeconds(2), Successes = 3 }], spec.Probes);

        var broken = Valid + """

            probes:
              - name: healthz
                url: healthz
                status: 2000
                timeout: 5
                successes: 0
                method: HEAD
              - url: http://x/
            """;
        var error = Assert.Throws<PipelineException>(() => ObjectivesReader.Parse(broken, "objectives.yaml"));
        Assert.Contains("objectives.yaml:18:10: the probe `healthz` has url `healthz`, which is not an absolute http(s) URL", error.Message);
        Assert.Contains("objectives.yaml:19:13: the probe `healthz` has status 2000; give an HTTP status from 100 to 599", error.Message);
        Assert.Contains("objectives.yaml:20:14: `timeout: 5` is not a duration", error.Message);
        Assert.Contains("objectives.yaml:21:16: the probe `healthz` has successes 0", error.Message);
        Assert.Contains("objectives.yaml:22:5: `method` is not a field of the probe `healthz`; use name, url, status, body, timeout, successes", error.Message);
        Assert.Contains("objectives.yaml:23:5: the probe `probes[1]` has no name", error.Message);
        Assert.Contains("The objectives file has 6 errors", error.Message);
    }

    [Fact]
    public void A_file_of_probes_only_is_a_smoke_check()
    {
        var spec = ObjectivesReader.Parse("window: 1m\ninterval: 10s\nprobes:\n  - name: healthz\n    url: http://shortlink/healthz\n", "objectives.yaml");

        Assert.Empty(spec.Objectives);
        Assert.Equal("healthz", spec.Probes.Single().Name);
    }
}
