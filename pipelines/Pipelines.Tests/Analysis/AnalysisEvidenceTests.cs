using System.Text.Json;
using Pipelines.Analysis;
using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.Analysis;

/// <summary>
/// What an analysis shows and when it looks, against the real Prometheus scraping the real sample service:
/// --prometheus-lag delays when each check is asked, never what it judges, and the observed values reach the step summary (Mermaid
/// chart), the terminal (sparkline) and artifacts/analysis/&lt;service&gt;.json.
/// </summary>
public sealed class AnalysisEvidenceTests(ReleaseAnalysisFixture fixture) : IClassFixture<ReleaseAnalysisFixture>
{
    private async Task<AnalysisReport> MeasureAsync(string @namespace, AnalysisSpec spec, TimeSpan lag, MemoryLog log)
    {
        using var client = new PrometheusClient(fixture.Prometheus.Url, queryTimeout: TimeSpan.FromSeconds(5));
        return await new ReleaseAnalyzer(client, log)
            .AnalyzeAsync(new AnalysisRequest("shortlink", "staging", @namespace, spec) { PrometheusLag = lag }, ReleaseActions.None, CancellationToken.None);
    }

    [Fact]
    public async Task Each_check_is_evaluated_inside_the_window_asked_a_lag_later_and_the_verdict_says_when()
    {
        // Arrange: time() is the evaluation time Prometheus used; a lag longer than the interval used to reach back before
        // the window (the previous release's traffic).
        var spec = new AnalysisSpec
        {
            Window = TimeSpan.FromSeconds(2),
            Interval = TimeSpan.FromSeconds(1),
            InconclusiveLimit = 5,
            Objectives = [new Objective("evaluated-at", "time()", Comparison.AtLeast, 0), new Objective("up", "sum(up{namespace=\"{{namespace}}\"})", Comparison.AtLeast, 1)],
        };
        var lag = TimeSpan.FromSeconds(3);
        var log = new MemoryLog();

        // Act
        var started = DateTimeOffset.UtcNow;
        var lagging = await MeasureAsync("healthy", spec, lag, log);
        var finished = DateTimeOffset.UtcNow;

        // Assert: Prometheus evaluated at the time sent, start + n × interval, and the run waited the lag for the last one.
        Assert.Equal(2, lagging.Checks.Count);
        foreach (var check in lagging.Checks)
        {
            var evaluated = check.Measurements.Single(m => m.Objective.Name == "evaluated-at").Value!.Value;
            Assert.Equal(check.Time.ToUnixTimeMilliseconds() / 1000.0, evaluated, 3);
            Assert.InRange(check.Time, started + spec.Interval * check.Number, started + spec.Interval * check.Number + TimeSpan.FromSeconds(5));
            Assert.Equal(1, check.Measurements.Single(m => m.Objective.Name == "up").Value);
        }
        Assert.True(finished >= lagging.Checks[^1].Time + lag, $"the last check ({lagging.Checks[^1].Time:HH:mm:ss.fff}) was asked before the {lag} lag had passed ({finished:HH:mm:ss.fff})");
        Assert.Equal(AnalysisVerdict.Pass, lagging.Verdict);
        Assert.Contains($"Checks evaluated at the window's start + n × interval, each asked 3s later (--prometheus-lag); HTTP probes ran when asked (they cannot look back); the last evaluated at {lagging.Checks[^1].Time:yyyy-MM-dd HH:mm:ss}Z.", lagging.Message);
        Assert.Contains($"Check 1/2 at {lagging.Checks[0].Time:HH:mm:ss}Z", log.Text);
    }

    [Fact]
    public async Task A_breach_shows_its_values_against_the_threshold_as_a_chart_in_the_step_summary_a_sparkline_and_json()
    {
        // Arrange: the shipped objectives on the faulty service, two checks even after a breach.
        var spec = ReleaseAnalysisFixture.ShippedObjectivesInSeconds() with { FailureLimit = 1 };
        using var files = new TempDirectory("analysis-evidence");
        var summary = files.Combine("step-summary.md");
        var host = new GitHubActionsHost(new StringWriter(), new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = summary });
        var log = new MemoryLog();

        // Act
        var report = await MeasureAsync("faulty", spec, TimeSpan.Zero, log);
        host.AppendSummary(report.ToMarkdown());
        var written = AnalysisEvidence.WriteAll(report, new WorkspaceLayout(files.Path).AnalysisFileOf);

        // Assert: the chart plots each check's availability and the threshold line.
        Assert.Equal(AnalysisVerdict.Breach, report.Verdict);
        Assert.Equal(2, report.Checks.Count);
        var availability = report.Checks.Select(c => c.Measurements.Single(m => m.Objective.Name == "availability").Value!.Value).ToList();
        var text = await File.ReadAllTextAsync(summary);
        Assert.Contains("#### availability\n\n```mermaid\nxychart-beta\n    title \"availability (threshold >= 0.999)\"\n", text);
        Assert.Contains($"    x-axis [\"{report.Checks[0].Time:HH:mm:ss}\", \"{report.Checks[1].Time:HH:mm:ss}\"]\n", text);
        Assert.Contains($"    line [{string.Join(", ", availability.Select(v => v.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)))}]\n    line [0.999, 0.999]\n```", text);
        Assert.Contains("#### p95-latency-seconds", text);
        // The terminal table: one block per check, the lowest value at the bottom of the scale.
        var row = System.Text.RegularExpressions.Regex.Match(log.Text, @"availability\s+>= 0\.999\s+([▁▂▃▄▅▆▇█]{2})\s+0\.\d+\s+0\.\d+\.\.0\.\d+\s+0/2");
        Assert.True(row.Success, log.Text);
        Assert.Contains('▁', row.Groups[1].Value);
        // The same values in artifacts/analysis/shortlink.json.
        Assert.Equal([Path.Combine(files.Path, "artifacts", "analysis", "shortlink.json")], written);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(written[0]));
        Assert.Equal("breach", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("0s", json.RootElement.GetProperty("prometheusLag").GetString());
        var objective = json.RootElement.GetProperty("objectives").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "availability");
        Assert.Equal(">=", objective.GetProperty("comparison").GetString());
        Assert.Equal(0.999, objective.GetProperty("threshold").GetDouble());
        var values = objective.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(availability, values.Select(v => v.GetProperty("value").GetDouble()));
        Assert.All(values, v => Assert.False(v.GetProperty("met").GetBoolean()));
        Assert.Equal(report.Checks[1].Time, values[1].GetProperty("evaluatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_failing_healthz_probe_breaches_the_release_while_its_slos_hold()
    {
        // Arrange: the real sample with its liveness fault on; the SLOs are measured on the healthy service.
        await using var faulted = await ShortlinkProcess.StartAsync(healthzStatus: 503);
        var spec = ReleaseAnalysisFixture.ShippedObjectivesInSeconds() with
        {
            Probes = [new HttpProbe("healthz", new Uri(faulted.Url, "healthz").AbsoluteUri) { BodyContains = "ok", Timeout = TimeSpan.FromSeconds(2) }],
        };

        // Act
        var report = await MeasureAsync("healthy", spec, TimeSpan.Zero, new MemoryLog());

        // Assert
        Assert.Equal(AnalysisVerdict.Breach, report.Verdict);
        var probe = report.Checks[0].Measurements.Single(m => m.Objective.Name == "healthz");
        Assert.True(probe.Breached);
        Assert.Contains($"healthz observed 0 (threshold >= 1): GET {faulted.Url}healthz answered 503, expected 200", report.Message);
        Assert.True(report.Checks[0].Measurements.Single(m => m.Objective.Name == "availability").Met);
    }
}
