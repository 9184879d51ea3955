using System.Globalization;
using Shortlink.Metrics;

namespace Shortlink.Tests;

public sealed class MetricsTests : IAsyncLifetime
{
    private const string Duration = HttpMetrics.RequestDuration;
    private RunningShortlink _service = null!;

    public async Task InitializeAsync() => _service = await RunningShortlink.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_text_format()
    {
        var response = await _service.Client.GetAsync("metrics");
        var scrape = PrometheusScrape.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("counter", scrape.Types[HttpMetrics.RequestsTotal]);
        Assert.Equal("histogram", scrape.Types[Duration]);
        Assert.Equal("gauge", scrape.Types["shortlink_links_stored"]);
        Assert.All(scrape.Types.Keys, family => Assert.True(scrape.Help.ContainsKey(family), $"no HELP for {family}"));
    }

    [Fact]
    public async Task Requests_are_counted_by_route_template_and_status()
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
        Assert.Equal(2, scrape.Value(HttpMetrics.RequestsTotal, ("method", "POST"), ("route", "/links"), ("status", "201")));
        Assert.Equal(1, scrape.Value(HttpMetrics.RequestsTotal, ("method", "POST"), ("route", "/links"), ("status", "400")));
        Assert.Equal(3, scrape.Value(HttpMetrics.RequestsTotal, ("method", "GET"), ("route", "/{code}"), ("status", "302")));
        Assert.Equal(1, scrape.Value(HttpMetrics.RequestsTotal, ("method", "GET"), ("route", "/{code}"), ("status", "404")));
        Assert.Equal(1, scrape.Value(HttpMetrics.RequestsTotal, ("method", "GET"), ("route", MetricsMiddleware.UnmatchedRoute), ("status", "404")));
        Assert.Equal(2, scrape.Value("shortlink_links_stored"));
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
        var route = new[] { ("method", "GET"), ("route", "/{code}") };
        var buckets = scrape.Where(Duration + "_bucket", route).ToList();
        var bounds = buckets.Select(b => b.Labels["le"]).ToList();
        var counts = buckets.Select(b => b.Value).ToList();
        Assert.Equal(LatencyHistogram.DefaultBounds.Select(b => b.ToString(CultureInfo.InvariantCulture)).Append("+Inf"), bounds);
        Assert.Equal(counts.Order(), counts); // cumulative: never decreasing
        Assert.Equal(4, counts[^1]);
        Assert.Equal(4, scrape.Value(Duration + "_count", route));
        Assert.True(scrape.Value(Duration + "_sum", route) > 0);
        Assert.Equal(4, scrape.Value(HttpMetrics.RequestsTotal, [.. route, ("status", "302")]));
    }

    [Fact]
    public async Task A_scrape_counts_the_previous_scrapes()
    {
        await _service.Client.GetStringAsync("metrics");
        await _service.Client.GetStringAsync("metrics");

        var scrape = PrometheusScrape.Parse(await _service.Client.GetStringAsync("metrics"));

        Assert.Equal(2, scrape.Value(HttpMetrics.RequestsTotal, ("method", "GET"), ("route", "/metrics"), ("status", "200")));
    }

    private async Task<string> CreateAsync(string url)
    {
        var response = await _service.Client.CreateLinkAsync(url);
        return (await response.ReadJsonAsync("application/json")).GetProperty("code").GetString()!;
    }
}
