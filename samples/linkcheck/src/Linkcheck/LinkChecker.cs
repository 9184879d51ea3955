using System.Diagnostics;

namespace Linkcheck;

/// <summary>Checks a URL with one GET, reading only the response headers.</summary>
public sealed class LinkChecker(HttpClient client, TimeSpan timeout)
{
    /// <summary>Creates the client the worker uses: redirects followed (at most 5), no cookies, no proxy from the environment.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { { "User-Agent", "linkcheck/1.0" } },
    };

    /// <summary>Checks <paramref name="url"/>; never throws for a failed check, only when <paramref name="stopping"/> is cancelled.</summary>
    public async Task<LinkResult> CheckAsync(Uri url, CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        limit.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var status = (int)response.StatusCode;
            return new LinkResult(url, status is >= 200 and < 300, status, clock.Elapsed, null);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new LinkResult(url, false, null, clock.Elapsed, $"no response within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return new LinkResult(url, false, null, clock.Elapsed, e.Message);
        }
    }
}
