using Prometheus;
using Shortlink.Links;

namespace Shortlink.Metrics;

/// <summary>
/// The service's Prometheus metrics through prometheus-net.AspNetCore: <c>http_requests_received_total</c>
/// (<c>code</c>, <c>method</c>, <c>endpoint</c>), the <c>http_request_duration_seconds</c> histogram, and
/// <c>shortlink_links_stored</c>. Each app has its own registry, so two instances in one process never share counts.
/// </summary>
public static class MetricsEndpoints
{
    /// <summary>The request counter prometheus-net exports.</summary>
    public const string RequestsTotal = "http_requests_received_total";

    /// <summary>The latency histogram prometheus-net exports.</summary>
    public const string RequestDuration = "http_request_duration_seconds";

    /// <summary>The gauge of links held by the store.</summary>
    public const string LinksStored = "shortlink_links_stored";

    /// <summary>Registers the app's own metrics registry.</summary>
    public static IServiceCollection AddShortlinkMetrics(this IServiceCollection services) =>
        services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());

    /// <summary>
    /// Measures every request below this point (register it before the exception handler, so an unhandled
    /// exception is counted as the 500 the client gets, not as 200).
    /// </summary>
    public static IApplicationBuilder UseShortlinkMetrics(this IApplicationBuilder app)
    {
        var registry = app.ApplicationServices.GetRequiredService<CollectorRegistry>();
        var store = app.ApplicationServices.GetRequiredService<ILinkStore>();
        var links = Prometheus.Metrics.WithCustomRegistry(registry).CreateGauge(LinksStored, "Links currently held by the store.");
        registry.AddBeforeCollectCallback(() => links.Set(store.Count));
        app.UseHttpMetrics(options => options.SetMetricFactory(Prometheus.Metrics.WithCustomRegistry(registry)));
        // The exception handler clears the endpoint before it writes its 500; put it back so the failure is
        // counted under its route (endpoint="/links"), not as a request that matched nothing.
        return app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            try { await next(context); }
            finally { if (endpoint is not null && context.GetEndpoint() is null) context.SetEndpoint(endpoint); }
        });
    }

    /// <summary>Maps <c>GET /metrics</c> (scrapes are not counted as requests).</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>());
        return endpoints;
    }
}
