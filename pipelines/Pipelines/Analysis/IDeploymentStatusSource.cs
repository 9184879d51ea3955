namespace Pipelines.Analysis;

/// <summary>
/// Reads one Deployment as the API server reports it. Kept this small on purpose: the rollout logic does not depend
/// on which Kubernetes client fetches the object.
/// </summary>
internal interface IDeploymentStatusSource
{
    /// <summary>The Deployment <paramref name="name"/> in <paramref name="namespace"/>; null when it does not exist.</summary>
    Task<DeploymentStatus?> GetAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Where the status comes from, for messages (e.g. the API server and kubeconfig).</summary>
    string Describe();
}
