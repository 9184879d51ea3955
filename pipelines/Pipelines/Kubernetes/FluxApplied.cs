namespace Pipelines.Kubernetes;

/// <summary>How the wait ended when it succeeded.</summary>
internal sealed record FluxApplied(string Revision, TimeSpan Elapsed);
