using Shortlink.Links;

namespace Shortlink.Metrics;

/// <summary>Maps <c>GET /metrics</c> for Prometheus scraping.</summary>
public static class MetricsEndpoints
{
    /// <summary>Adds the metrics endpoint to <paramref name="endpoints"/>.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", (HttpMetrics metrics, ILinkStore store) =>
        {
            var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            metrics.WriteTo(text, store.Count);
            return Results.Text(text.ToString(), PrometheusTextWriter.ContentType);
        });
        return endpoints;
    }
}
