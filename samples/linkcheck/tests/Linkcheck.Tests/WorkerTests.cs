using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Linkcheck.Tests;

public sealed class WorkerTests : IAsyncLifetime
{
    private LocalSite _site = null!;

    public async Task InitializeAsync() => _site = await LocalSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Each_round_checks_every_url_in_order_and_counts_failures_in_a_row_until_a_link_recovers()
    {
        var urls = new[] { _site["ok"], _site["missing"], _site["flaky"] };
        var output = new EventLines();
        using var host = LinkcheckApp.Create(new LinkcheckSettings(urls, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2)), output);

        await host.StartAsync();
        await output.WaitForAsync("round", 2);
        _site.Heal();
        var healedAt = output.Named("round").Count;
        await output.WaitForAsync("round", healedAt + 2);
        await host.StopAsync();

        var checks = output.Named("check");
        var rounds = output.Named("round");
        Assert.Equal(rounds.Count * 3, checks.Count);
        Assert.Equal(Enumerable.Range(1, rounds.Count), rounds.Select(r => (int)r["round"]!));
        for (var i = 0; i < rounds.Count; i++)
            Assert.Equal(urls.Select(u => u.ToString()), checks.Skip(i * 3).Take(3).Select(c => (string)c["url"]!));

        var missing = checks.Where(c => (string)c["url"]! == _site["missing"].ToString()).ToList();
        Assert.Equal(Enumerable.Range(1, rounds.Count), missing.Select(c => (int)c["consecutiveFailures"]!));
        Assert.All(missing, c => Assert.Equal(404, (int)c["status"]!));

        var flaky = checks.Where(c => (string)c["url"]! == _site["flaky"].ToString()).ToList();
        Assert.Equal([1, 2], flaky.Take(2).Select(c => (int)c["consecutiveFailures"]!));
        Assert.Equal(0, (int)flaky[^1]["consecutiveFailures"]!);
        Assert.True((bool)flaky[^1]["ok"]!);
        Assert.Equal(new { ok = 2, failed = 1 }, new { ok = (int)rounds[^1]["ok"]!, failed = (int)rounds[^1]["failed"]! });

        var worker = host.Services.GetRequiredService<LinkcheckWorker>();
        Assert.Equal(new LinkTotals(rounds.Count, 0, 0), worker.History.Of(_site["ok"]));
        Assert.Equal(new LinkTotals(rounds.Count, rounds.Count, rounds.Count), worker.History.Of(_site["missing"]));
    }

    [Fact]
    public async Task Stopping_the_host_between_rounds_logs_stopped_with_the_rounds_done()
    {
        var output = new EventLines();
        using var host = LinkcheckApp.Create(new LinkcheckSettings([_site["ok"]], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)), output);
        await host.StartAsync();
        await output.WaitForAsync("round", 1);

        await host.StopAsync();

        var events = output.Events;
        Assert.Equal("started", (string?)events[0]["event"]);
        Assert.Equal("stopped", (string?)events[^1]["event"]);
        Assert.Equal(output.Named("round").Count, (int)events[^1]["rounds"]!);
        Assert.All(events, e => Assert.True(DateTime.TryParse((string?)e["time"], out _), $"{e} has no time"));
    }

    [Fact]
    public async Task A_check_in_flight_when_the_host_stops_is_cancelled_rather_than_awaited()
    {
        var output = new EventLines();
        using var host = LinkcheckApp.Create(new LinkcheckSettings([_site["slow"]], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)), output);
        await host.StartAsync();
        await output.WaitForAsync("started");
        await Task.Delay(200);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {clock.Elapsed}");
        Assert.Empty(output.Named("check"));
        Assert.Equal(0, (int)output.Named("stopped").Single()["rounds"]!);
    }
}
