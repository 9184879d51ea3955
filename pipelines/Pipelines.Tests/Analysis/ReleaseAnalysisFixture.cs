using Pipelines.Analysis;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Analysis;

/// <summary>
/// One real Prometheus scraping three real shortlink processes every second: <c>healthy</c> and <c>faulty</c>
/// (fault knob: half the requests 503) under steady bounded load, and <c>idle</c> with no traffic at all. The
/// namespace label of each job is its name, as the shipped objectives filter on it.
/// </summary>
public sealed class ReleaseAnalysisFixture : IAsyncLifetime
{
    private LoadGenerator? _healthyLoad;
    private LoadGenerator? _faultyLoad;

    /// <summary>The service that keeps its objectives.</summary>
    public ShortlinkProcess Healthy { get; private set; } = null!;
    /// <summary>The service with SHORTLINK_FAULT_ERROR_RATE=0.5.</summary>
    public ShortlinkProcess Faulty { get; private set; } = null!;
    /// <summary>The service nobody calls (after one request at start, so its series exist and stay flat).</summary>
    public ShortlinkProcess Idle { get; private set; } = null!;
    /// <summary>The Prometheus scraping all three.</summary>
    public PrometheusServer Prometheus { get; private set; } = null!;

    /// <summary>
    /// The objectives the manifests template ships for shortlink (availability &gt;= 0.999, p95 &lt; 0.3 s), with the
    /// window shrunk to seconds: two checks three seconds apart, no failure or inconclusive check tolerated.
    /// </summary>
    internal static AnalysisSpec ShippedObjectivesInSeconds() =>
        ObjectivesReader.ReadFile(Path.Combine(TestPaths.RepositoryRoot, "manifests", "apps", "shortlink", "objectives.yaml")) with
        {
            Window = TimeSpan.FromSeconds(6),
            Interval = TimeSpan.FromSeconds(3),
            FailureLimit = 0,
            InconclusiveLimit = 0,
        } is var spec ? spec with { MinimumTraffic = spec.MinimumTraffic! with { Minimum = 10 } } : null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var started = await Task.WhenAll(ShortlinkProcess.StartAsync(), ShortlinkProcess.StartAsync(errorRate: 0.5), ShortlinkProcess.StartAsync());
        (Healthy, Faulty, Idle) = (started[0], started[1], started[2]);
        // One request long before any analysis: the idle service's counters exist but stop moving (0/0 later).
        using (var http = new HttpClient { BaseAddress = Idle.Url }) await http.GetAsync("no-such-link");
        Prometheus = await PrometheusServer.StartAsync(("healthy", Healthy.Address), ("faulty", Faulty.Address), ("idle", Idle.Address));
        _healthyLoad = LoadGenerator.Start(Healthy.Url);
        _faultyLoad = LoadGenerator.Start(Faulty.Url);
        await Prometheus.WaitForTargetsAsync(3, TimeSpan.FromSeconds(30));
        // rate() needs two scrapes with traffic in its range.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_healthyLoad is not null) await _healthyLoad.DisposeAsync();
        if (_faultyLoad is not null) await _faultyLoad.DisposeAsync();
        if (Prometheus is not null) await Prometheus.DisposeAsync();
        foreach (var service in new[] { Healthy, Faulty, Idle })
            if (service is not null) await service.DisposeAsync();
    }
}
