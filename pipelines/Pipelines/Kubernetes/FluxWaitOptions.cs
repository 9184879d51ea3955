namespace Pipelines.Kubernetes;

/// <param name="Namespace">The Kustomization's namespace (usually flux-system).</param>
/// <param name="Name">The Kustomization that applies the manifests path Deploy edits.</param>
/// <param name="Commit">The commit Deploy pushed.</param>
internal sealed record FluxWaitOptions(string Namespace, string Name, string Commit)
{
    /// <summary>How long to wait for the revision to be applied before giving up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How often the Kustomization is read while waiting.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Ask Flux to reconcile now (the annotation <c>flux reconcile</c> sets) before waiting.</summary>
    public bool RequestReconcile { get; init; }
}
