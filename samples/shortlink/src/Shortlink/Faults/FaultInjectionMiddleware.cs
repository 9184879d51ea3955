namespace Shortlink.Faults;

/// <summary>Adds the configured latency and answers the configured share of requests with 503 (see <see cref="FaultOptions"/>).</summary>
public sealed class FaultInjectionMiddleware(RequestDelegate next, FaultOptions options)
{
    /// <summary>Faults the request unless it is a probe or a scrape.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/metrics") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz"))
        {
            await next(context);
            return;
        }
        if (options.AddedLatency > TimeSpan.Zero) await Task.Delay(options.AddedLatency, context.RequestAborted);
        if (options.ErrorRate > 0 && Random.Shared.NextDouble() < options.ErrorRate)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        await next(context);
    }
}
