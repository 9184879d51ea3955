using System.Diagnostics;

namespace Shortlink.Metrics;

/// <summary>Times every request and records it in <see cref="HttpMetrics"/> under its route template.</summary>
public sealed class MetricsMiddleware(RequestDelegate next, HttpMetrics metrics)
{
    /// <summary>Label used for requests that matched no endpoint, so random paths cannot create new series.</summary>
    public const string UnmatchedRoute = "unmatched";

    /// <summary>Runs the rest of the pipeline and records the outcome.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        // WebApplication runs routing first, so the endpoint is known here. Read it now: the exception
        // handler below clears it before producing its 500, which would file the failure as unmatched.
        var route = RouteOf(context);
        try
        {
            await next(context);
            Record(context, route ?? RouteOf(context), context.Response.StatusCode, started);
        }
        catch
        {
            // The exception handler sits below this middleware, so reaching here means nothing answered: the server sends 500.
            Record(context, route, StatusCodes.Status500InternalServerError, started);
            throw;
        }
    }

    private static string? RouteOf(HttpContext context) => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;

    private void Record(HttpContext context, string? route, int status, long started) =>
        metrics.Record(context.Request.Method, route ?? UnmatchedRoute, status, Stopwatch.GetElapsedTime(started).TotalSeconds);
}
