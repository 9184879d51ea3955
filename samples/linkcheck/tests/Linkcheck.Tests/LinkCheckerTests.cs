using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Linkcheck.Tests;

public sealed class LinkCheckerTests : IAsyncLifetime
{
    private LocalSite _site = null!;
    private readonly HttpClient _client = LinkChecker.CreateClient();

    public async Task InitializeAsync() => _site = await LocalSite.StartAsync();

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _site.DisposeAsync();
    }

    private LinkChecker Checker(double timeoutSeconds = 5) => new(_client, TimeSpan.FromSeconds(timeoutSeconds));

    [Fact]
    public async Task A_link_answering_200_is_ok()
    {
        var result = await Checker().CheckAsync(_site["ok"], CancellationToken.None);

        Assert.Equal(new { Ok = true, Status = (int?)200, Error = (string?)null }, new { result.Ok, result.Status, result.Error });
    }

    [Fact]
    public async Task A_link_answering_404_fails_with_its_status()
    {
        var result = await Checker().CheckAsync(_site["missing"], CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Equal(404, result.Status);
    }

    [Fact]
    public async Task A_redirect_is_followed_and_judged_by_its_target()
    {
        var result = await Checker().CheckAsync(_site["moved"], CancellationToken.None);

        Assert.True(result.Ok);
        Assert.Equal(200, result.Status);
    }

    [Fact]
    public async Task A_link_slower_than_the_timeout_fails_when_the_timeout_runs_out()
    {
        var clock = Stopwatch.StartNew();
        var result = await Checker(timeoutSeconds: 1).CheckAsync(_site["slow"], CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Null(result.Status);
        Assert.Equal("no response within 1 s", result.Error);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task A_refused_connection_fails_with_the_reason()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Checker().CheckAsync(new Uri($"http://127.0.0.1:{port}/"), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Null(result.Status);
        Assert.Contains("refused", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Stopping_cancels_a_check_in_flight_instead_of_reporting_it_failed()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Checker().CheckAsync(_site["slow"], stop.Token));
    }
}
