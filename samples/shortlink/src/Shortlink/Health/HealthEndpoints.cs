using Shortlink.Links;

namespace Shortlink.Health;

/// <summary>Maps the Kubernetes probes <c>GET /healthz</c> (liveness) and <c>GET /readyz</c> (readiness).</summary>
public static class HealthEndpoints
{
    /// <summary>Adds the probe endpoints to <paramref name="endpoints"/>.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        // Liveness checks nothing but the process answering: restarting a pod cannot fix a dependency.
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));

        // Readiness takes the pod out of the Service while the store cannot serve.
        endpoints.MapGet("/readyz", (ILinkStore store) =>
            store.IsReady
                ? Results.Text("ready\n")
                : Results.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Not ready",
                    detail: "The link store is not ready."));
        return endpoints;
    }
}
