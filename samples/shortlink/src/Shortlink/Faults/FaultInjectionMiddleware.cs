namespace Shortlink.Faults;

/// <summary>Adds the configured latency and answers the configured share of requests with 503 (see <see cref="FaultOptions"/>).</summary>
public sealed class FaultInjectionMiddleware(RequestDelegate next, FaultOptions options)
{
    /// <summary>Faults /healthz when its fault is on; faults other requests unless they are a probe or a scrape.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        // The liveness fault answers before the endpoint (and its "ok"), so a probe sees the status and no body.
        if (options.HealthzStatus is { } status && path.StartsWithSegments("/healthz"))
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync($"faulted by {FaultOptions.HealthzStatusKey}\n", context.RequestAborted);
            return;
        }
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
