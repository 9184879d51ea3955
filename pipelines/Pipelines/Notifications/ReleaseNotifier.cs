using System.Net;
using Pipelines.Logging;

namespace Pipelines.Notifications;

/// <summary>
/// Posts a <see cref="ReleaseNotice"/> to every <c>--notify</c> endpoint in its format. A notification never changes a
/// run's outcome: an endpoint that fails is tried again (honouring <c>Retry-After</c>) and then reported as a warning.
/// Only the endpoint's format and host are ever written: its path and query hold the robot's token.
/// </summary>
internal sealed class ReleaseNotifier(HttpMessageHandler handler, ILog log, TimeProvider? clock = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    /// <summary>Attempts per endpoint: the first and two retries.</summary>
    public const int Attempts = 3;

    /// <summary>The longest wait between attempts, whatever <c>Retry-After</c> asks: a notification must not hold the run for long.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;

    /// <summary>Posts to each endpoint; returns one warning per endpoint that did not take the message.</summary>
    public async Task<IReadOnlyList<string>> SendAsync(ReleaseNotice notice, IReadOnlyList<NotificationEndpoint> endpoints, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(15) };
        foreach (var endpoint in endpoints)
        {
            var problem = await SendOneAsync(client, notice, endpoint, cancellationToken);
            if (problem is null) log.Info($"Notified the {endpoint}: {notice.Headline}");
            else warnings.Add($"Notification to the {endpoint} not delivered after {Attempts} attempts: {problem}. The run's outcome stands.");
        }
        return warnings;
    }

    private async Task<string?> SendOneAsync(HttpClient client, ReleaseNotice notice, NotificationEndpoint endpoint, CancellationToken cancellationToken)
    {
        var format = MessageFormat.For(endpoint.Format);
        string problem = "";
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            TimeSpan? retryAfter = null;
            try
            {
                // Signed formats sign each attempt at its own time: DingTalk and Lark refuse an old timestamp.
                using var request = format.Request(notice, endpoint, _clock.GetUtcNow());
                using var response = await client.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    if (format.Refusal(body) is not { } refusal) return null;
                    // A refusal in the answer (bad signature, keyword missing) will not change on a retry.
                    return $"the service refused the message ({Shorten(refusal)})";
                }
                problem = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                if (!Retryable(response.StatusCode)) return problem;
                retryAfter = RetryAfter(response);
            }
            catch (HttpRequestException e) { problem = e.HttpRequestError == HttpRequestError.Unknown ? "the request failed" : $"the request failed ({e.HttpRequestError})"; }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { problem = $"no answer within {client.Timeout.TotalSeconds:0}s"; }
            if (attempt < Attempts)
            {
                var wait = retryAfter ?? TimeSpan.FromSeconds(attempt);
                if (wait > MaxWait) wait = MaxWait;
                log.Debug($"Notification to the {endpoint}: {problem}; trying again in {wait.TotalSeconds:0.#}s.");
                await _delay(wait, cancellationToken);
            }
        }
        return problem;
    }

    private static bool Retryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
