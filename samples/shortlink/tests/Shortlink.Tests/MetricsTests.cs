using Shortlink.Metrics;

namespace Shortlink.Tests;

public sealed class MetricsTests : IAsyncLifetime
{
    private const string Requests = MetricsEndpoints.RequestsTotal;
    private const string Duration = MetricsEndpoints.RequestDuration;
    private RunningShortlink _service = null!;

    public async Task InitializeAsync() => _service = await RunningShortlink.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_text_format()
    {
        var response = await _service.Client.GetAsync("metrics");
        var scrape = PrometheusScrape.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("counter", scrape.Types[Requests]);
        Assert.Equal("histogram", scrape.Types[Duration]);
        Assert.Equal("gauge", scrape.Types[MetricsEndpoints.LinksStored]);
        Assert.All(scrape.Types.Keys, family => Assert.True(scrape.Help.ContainsKey(family), $"no HELP for {family}"));
    }

    [Fact]
    public async Task Requests_are_counted_by_route_template_and_status_code()
    {
        // Arrange: two links created, one refused, three redirects, one unknown code, one path that matches no route.
        var first = await CreateAsync("https://example.com/1");
        var second = await CreateAsync("https://example.com/2");
        await _service.Client.CreateLinkAsync("not a url");
        await _service.Client.GetAsync(first);
        await _service.Client.GetAsync(first);
        await _service.Client.GetAsync(second);
        await _service.Client.GetAsync("unknown");
        await _service.Client.GetAsync("no/such/route");

        // Act
        var scrape = PrometheusScrape.Parse(await _service.Client.GetStringAsync("metrics"));

        // Assert
        Assert.Equal(2, Count(scrape, "POST", "/links", "201"));
        Assert.Equal(1, Count(scrape, "POST", "/links", "400"));
        Assert.Equal(3, Count(scrape, "GET", "/{code}", "302"));
        Assert.Equal(1, Count(scrape, "GET", "/{code}", "404"));
        Assert.Equal(1, Count(scrape, "GET", "", "404")); // no route matched: one series, whatever the path
        Assert.Equal(2, scrape.Value(MetricsEndpoints.LinksStored));
    }

    [Fact]
    public async Task The_latency_histogram_has_cumulative_buckets_ending_in_inf_that_agree_with_the_count()
    {
        // Arrange
        var code = await CreateAsync("https://example.com/");
        for (var i = 0; i < 4; i++)
            await _service.Client.GetAsync(code);

        // Act
        var scrape = PrometheusScrape.Parse(await _service.Client.GetStringAsync("metrics"));

        // Assert
        var route = new[] { ("method", "GET"), ("endpoint", "/{code}"), ("code", "302") };
        var buckets = scrape.Where(Duration + "_bucket", route).ToList();
        var bounds = buckets.Select(b => b.Labels["le"]).ToList();
        var counts = buckets.Select(b => b.Value).ToList();
        Assert.Equal("+Inf", bounds[^1]);
        Assert.Equal(17, bounds.Count); // prometheus-net's default: 1 ms doubling to 32.768 s, then +Inf
        Assert.Equal(counts.Order(), counts); // cumulative: never decreasing
        Assert.Equal(4, counts[^1]);
        Assert.Equal(4, Assert.Single(scrape.Where(Duration + "_count", route)).Value);
        Assert.True(Assert.Single(scrape.Where(Duration + "_sum", route)).Value > 0);
        Assert.Equal(4, Count(scrape, "GET", "/{code}", "302"));
    }

    [Fact]
    public async Task Scrapes_are_not_counted_as_requests_so_they_cannot_hide_missing_traffic()
    {
        await _service.Client.GetStringAsync("metrics");
        await _service.Client.GetStringAsync("metrics");

        var scrape = PrometheusScrape.Parse(await _service.Client.GetStringAsync("metrics"));

        Assert.Empty(scrape.Where(Requests, ("endpoint", "/metrics")));
    }

    [Fact]
    public async Task The_fault_knob_answers_503_to_the_given_share_of_requests_and_the_metrics_count_them()
    {
        await using var faulty = await RunningShortlink.StartAsync(settings: [$"--{Shortlink.Faults.FaultOptions.ErrorRateKey}=1"]);

        var response = await faulty.Client.GetAsync("anything");
        var probe = await faulty.Client.GetAsync("healthz");
        var scrape = PrometheusScrape.Parse(await faulty.Client.GetStringAsync("metrics"));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal(1, scrape.Where(Requests, ("code", "503")).Sum(s => s.Value));
    }

    private static double Count(PrometheusScrape scrape, string method, string endpoint, string code) =>
        Assert.Single(scrape.Where(Requests, ("method", method), ("endpoint", endpoint), ("code", code))).Value;

    private async Task<string> CreateAsync(string url)
    {
        var response = await _service.Client.CreateLinkAsync(url);
        return (await response.ReadJsonAsync("application/json")).GetProperty("code").GetString()!;
    }
}
