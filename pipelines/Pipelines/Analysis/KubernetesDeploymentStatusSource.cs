using Pipelines.Kubernetes;

namespace Pipelines.Analysis;

/// <summary>Reads a Deployment through <see cref="KubernetesClient"/>: <c>GET /apis/apps/v1/namespaces/{ns}/deployments/{name}</c>.</summary>
internal sealed class KubernetesDeploymentStatusSource(KubernetesClient client) : IDeploymentStatusSource
{
    /// <inheritdoc />
    public async Task<DeploymentStatus?> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var deployment = await client.GetAsync(KubeResource.Deployments, @namespace, name, cancellationToken);
        return deployment is null ? null : DeploymentStatus.From(deployment);
    }

    /// <inheritdoc />
    public string Describe() => $"{client.Endpoint.Server} ({client.Endpoint.Source})";
}
