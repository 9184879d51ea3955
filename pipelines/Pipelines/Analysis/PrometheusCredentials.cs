namespace Pipelines.Analysis;

/// <summary>
/// How to authenticate to Prometheus's HTTP API: a bearer token (a proxy, ARMS V1's token, Flagger's <c>token</c>)
/// or basic auth (ARMS V2 with an AccessKey pair, Grafana Cloud). Both are secrets: never logged, never on a command line.
/// </summary>
internal sealed record PrometheusCredentials(string? BearerToken = null, string? Username = null, string? Password = null)
{
    /// <summary>No credentials: a Prometheus inside the cluster or on loopback.</summary>
    public static PrometheusCredentials None { get; } = new();

    /// <summary>Checks that at most one method is given and basic auth is complete.</summary>
    public PrometheusCredentials Validate()
    {
        if (BearerToken is { Length: > 0 } && (Username is { Length: > 0 } || Password is { Length: > 0 }))
            throw new PipelineException("Give Prometheus either --prometheus-token or --prometheus-username with --prometheus-password, not both.");
        if ((Username is { Length: > 0 }) != (Password is { Length: > 0 }))
            throw new PipelineException("Prometheus basic auth needs both --prometheus-username and --prometheus-password.");
        return this;
    }

    /// <summary>What is used, without the secret: for logs.</summary>
    public string Describe() => BearerToken is { Length: > 0 } ? "bearer token" : Username is { Length: > 0 } ? $"basic auth as {Username}" : "no credentials";
}
