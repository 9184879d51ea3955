using Pipelines.Hosts;
using Pipelines.Kubernetes;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>How the build reads a cluster (it never changes one): Flux's and a rollout's status, a TektonRun.</summary>
public interface IKubernetesAccess : IPipelineBuild
{
    [Parameter("kubeconfig for --wait-for-flux and TektonRun; default KUBECONFIG, ~/.kube/config, or the pod's service account", EnvironmentAlias = "KUBECONFIG")]
    string? Kubeconfig => ValueOf(() => Kubeconfig, null);

    [Parameter("kubeconfig context; default its current-context")]
    string? KubeContext => ValueOf(() => KubeContext, null);

    /// <summary>The cluster the kubeconfig (or the pod's service account) names.</summary>
    internal KubeEndpoint KubeConfig() => Kubernetes.KubeConfig.Resolve(Kubeconfig, KubeContext, PipelineHost.CurrentEnvironment());
}
