using System.Diagnostics;

namespace Pipelines.Analysis;

/// <summary>
/// Runs <see cref="HttpProbe"/>s: GETs without credentials (a probe targets the service, not Prometheus), no redirect
/// followed (a 302 to a login page is not a healthy 200), each request bounded by the probe's timeout.
/// </summary>
internal sealed class HttpProber : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    /// <summary>
    /// Probes <paramref name="url"/> (the probe's URL, rendered) up to <see cref="HttpProbe.Successes"/> times in a row: the
    /// measurement's value is the number of successes before the first failure, and its detail says what that failure was.
    /// </summary>
    public async Task<ObjectiveMeasurement> ProbeAsync(HttpProbe probe, string url, CancellationToken cancellationToken)
    {
        var objective = probe.AsObjective();
        var successes = 0;
        string? failure = null;
        while (successes < probe.Successes && failure is null)
        {
            failure = await RequestAsync(probe, url, cancellationToken);
            if (failure is null) successes++;
        }
        return new ObjectiveMeasurement(objective, successes, null) { Detail = failure };
    }

    /// <summary>One GET; null when it met the probe, else what went wrong (and what to check).</summary>
    private async Task<string?> RequestAsync(HttpProbe probe, string url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probe.Timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.GetAsync(url, timeout.Token);
            var status = (int)response.StatusCode;
            if (status != probe.Status)
                return $"GET {url} answered {status}, expected {probe.Status}";
            if (probe.BodyContains is { } expected)
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                if (!body.Contains(expected, StringComparison.Ordinal))
                    return $"GET {url} answered {status} without `{expected}` in its body ({Trim(body)})";
            }
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"GET {url} did not answer within {Durations.Format(probe.Timeout)} (the probe's timeout)";
        }
        catch (HttpRequestException e)
        {
            return $"GET {url} failed after {watch.ElapsedMilliseconds} ms: {e.Message}; check the URL and that the pipeline can reach the service";
        }
    }

    private static string Trim(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 80 ? line[..80] + "…" : line.Length == 0 ? "empty" : line;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
