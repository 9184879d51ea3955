using Pipelines.Analysis;
using Pipelines.Logging;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Analysis;

/// <summary>
/// HTTP probes against the real sample service process (its /healthz fault knob) and a port nobody listens on:
/// a failed or unreachable probe fails the check, never passes it. No query runs, so no Prometheus is contacted.
/// </summary>
public sealed class HttpProbeTests
{
    private static async Task<AnalysisReport> ProbeAsync(params HttpProbe[] probes)
    {
        var spec = new AnalysisSpec { Window = TimeSpan.FromSeconds(1), Interval = TimeSpan.FromSeconds(1), Objectives = [], Probes = probes };
        // Never contacted: the spec has no query.
        using var prometheus = new PrometheusClient(new Uri("http://127.0.0.1:9/"));
        return await new ReleaseAnalyzer(prometheus, new MemoryLog())
            .MeasureAsync(new AnalysisRequest("shortlink", "staging", "shortlink", spec), CancellationToken.None);
    }

    [Fact]
    public async Task A_healthy_service_passes_its_probe_with_every_request_in_a_row_answering_200_and_ok()
    {
        await using var service = await ShortlinkProcess.StartAsync();

        var report = await ProbeAsync(new HttpProbe("healthz", new Uri(service.Url, "healthz").AbsoluteUri) { BodyContains = "ok", Successes = 3 });

        Assert.Equal(AnalysisVerdict.Pass, report.Verdict);
        Assert.Equal(3, report.Checks.Single().Measurements.Single().Value);
    }

    [Fact]
    public async Task A_faulted_healthz_a_missing_body_text_and_an_unreachable_url_each_fail_the_check()
    {
        await using var faulted = await ShortlinkProcess.StartAsync(healthzStatus: 503);
        await using var healthy = await ShortlinkProcess.StartAsync();
        var closed = $"http://127.0.0.1:{FreePort.OnLoopback()}/healthz";

        var failing = await ProbeAsync(new HttpProbe("healthz", new Uri(faulted.Url, "healthz").AbsoluteUri));
        var wrongBody = await ProbeAsync(new HttpProbe("healthz", new Uri(healthy.Url, "healthz").AbsoluteUri) { BodyContains = "ready" });
        var unreachable = await ProbeAsync(new HttpProbe("healthz", closed) { Timeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(AnalysisVerdict.Breach, failing.Verdict);
        Assert.Contains($"GET {faulted.Url}healthz answered 503, expected 200", failing.Message);
        Assert.Equal(AnalysisVerdict.Breach, wrongBody.Verdict);
        Assert.Contains("answered 200 without `ready` in its body (ok)", wrongBody.Message);
        Assert.Equal(AnalysisVerdict.Breach, unreachable.Verdict);
        Assert.Contains($"healthz observed 0 (threshold >= 1): GET {closed} failed after", unreachable.Message);
    }
}
