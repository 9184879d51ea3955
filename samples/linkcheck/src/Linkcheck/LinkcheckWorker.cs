using Microsoft.Extensions.Hosting;

namespace Linkcheck;

/// <summary>
/// Checks every configured URL once per interval and logs one <c>check</c> event per URL and one <c>round</c> event
/// per round. Stops at the end of the host's life (SIGTERM from Kubernetes, Ctrl+C), cancelling checks in flight.
/// </summary>
public sealed class LinkcheckWorker(LinkcheckSettings settings, LinkChecker checker, EventLog log, IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <summary>The running totals per URL.</summary>
    public LinkHistory History { get; } = new();

    /// <summary>Rounds completed so far.</summary>
    public int Rounds { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        log.Write("started", json =>
        {
            json.WriteNumber("urls", settings.Urls.Count);
            json.WriteNumber("intervalSeconds", settings.Interval.TotalSeconds);
            json.WriteNumber("timeoutSeconds", settings.Timeout.TotalSeconds);
        });
        try
        {
            using var timer = new PeriodicTimer(settings.Interval);
            do
            {
                await RoundAsync(stoppingToken);
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: a round cut short is not logged.
        }
        catch (Exception e)
        {
            // A bug, not a broken link: exit non-zero so Kubernetes restarts the container and counts the restart.
            log.Write("failed", json => json.WriteString("error", e.ToString()));
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }
        log.Write("stopped", json => json.WriteNumber("rounds", Rounds));
    }

    private async Task RoundAsync(CancellationToken stopping)
    {
        var results = await Task.WhenAll(settings.Urls.Select(url => checker.CheckAsync(url, stopping)));
        stopping.ThrowIfCancellationRequested();
        Rounds++;
        foreach (var result in results)
        {
            var totals = History.Record(result);
            log.Write("check", json =>
            {
                json.WriteString("url", result.Url.ToString());
                json.WriteBoolean("ok", result.Ok);
                if (result.Status is { } status) json.WriteNumber("status", status);
                else json.WriteNull("status");
                json.WriteNumber("ms", Math.Round(result.Elapsed.TotalMilliseconds, 1));
                if (result.Error is not null) json.WriteString("error", result.Error);
                json.WriteNumber("consecutiveFailures", totals.ConsecutiveFailures);
            });
        }
        log.Write("round", json =>
        {
            json.WriteNumber("round", Rounds);
            json.WriteNumber("ok", results.Count(r => r.Ok));
            json.WriteNumber("failed", results.Count(r => !r.Ok));
        });
    }
}
