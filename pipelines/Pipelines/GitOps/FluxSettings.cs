using Pipelines.Kubernetes;

namespace Pipelines.GitOps;

/// <summary>How to tell Flux about the push: the Receiver to poke and the Kustomization to wait for.</summary>
public sealed record FluxSettings
{
    /// <summary>The Receiver's URL, token and type; the commit is filled in after the push.</summary>
    public (Uri Url, string Token, FluxReceiverType Type)? Receiver { get; init; }
    public FluxWaiter? Waiter { get; init; }
    public (string Namespace, string Name)? Kustomization { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>The branch Flux watches, named in the receiver's payload.</summary>
    public string Branch { get; init; } = "main";
}
