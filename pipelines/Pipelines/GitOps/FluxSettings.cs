using Pipelines.Kubernetes;

namespace Pipelines.GitOps;

/// <summary>How to tell Flux about the push: the Receiver to poke and the Kustomization to wait for.</summary>
public sealed record FluxSettings
{
    /// <summary>The Receiver's URL, token and type; the commit is filled in after the push.</summary>
    public (Uri Url, string Token, FluxReceiverType Type)? Receiver { get; init; }
    /// <summary>Watches the Kustomization after the push; null: do not wait for Flux.</summary>
    public FluxWaiter? Waiter { get; init; }
    /// <summary>The Kustomization whose applied revision is awaited.</summary>
    public (string Namespace, string Name)? Kustomization { get; init; }
    /// <summary>How long to wait for Flux to apply the pushed commit before the deploy fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>The branch Flux watches, named in the receiver's payload.</summary>
    public string Branch { get; init; } = "main";
}
