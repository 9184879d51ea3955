namespace Pipelines.Tests.Analysis;

/// <summary>
/// Bounded traffic for the sample: creates one link, then follows it at a fixed rate until stopped or until
/// <see cref="MaxRequests"/> requests have been sent, whichever comes first.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    /// <summary>The most requests one generator ever sends.</summary>
    public const int MaxRequests = 20_000;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _sent;

    private LoadGenerator(Uri url, int perSecond) => _loop = RunAsync(url, perSecond, _stop.Token);

    /// <summary>Requests sent so far.</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Starts sending <paramref name="perSecond"/> requests a second to the service at <paramref name="url"/>.</summary>
    public static LoadGenerator Start(Uri url, int perSecond = 40) => new(url, perSecond);

    private async Task RunAsync(Uri url, int perSecond, CancellationToken stop)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var code = "missing";
        try
        {
            using var created = await http.PostAsync("links", new StringContent("""{"url":"https://example.com/"}""", System.Text.Encoding.UTF8, "application/json"), stop);
            if (created.IsSuccessStatusCode)
                code = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync(stop)).RootElement.GetProperty("code").GetString()!;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        try
        {
            while (Sent < MaxRequests && await timer.WaitForNextTickAsync(stop))
            {
                Interlocked.Increment(ref _sent);
                try { using var _ = await http.GetAsync(code, stop); }
                catch (HttpRequestException) { }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Stops sending and waits for the last request.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
