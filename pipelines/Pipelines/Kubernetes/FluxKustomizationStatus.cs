using System.Text.Json.Nodes;

namespace Pipelines.Kubernetes;

/// <summary>What a Flux Kustomization (kustomize.toolkit.fluxcd.io/v1) reports about itself.</summary>
internal sealed record FluxKustomizationStatus(
    long Generation,
    long ObservedGeneration,
    bool Suspended,
    string? LastAppliedRevision,
    string? LastAppliedOriginRevision,
    string? LastAttemptedRevision,
    IReadOnlyList<Condition> Conditions)
{
    /// <summary>The Ready condition, which says whether the last reconciliation applied.</summary>
    public Condition? Ready => Find("Ready");
    /// <summary>The Stalled condition, set when Flux gave up until the spec changes.</summary>
    public Condition? Stalled => Find("Stalled");
    /// <summary>The Reconciling condition, set while Flux works on the object.</summary>
    public Condition? Reconciling => Find("Reconciling");
    /// <summary>True when the controller has seen the latest spec, so its conditions are current.</summary>
    public bool IsUpToDate => ObservedGeneration >= Generation;

    private Condition? Find(string type) => Conditions.FirstOrDefault(c => c.Type == type);

    /// <summary>Reads the status from a Kustomization object as the API returns it.</summary>
    public static FluxKustomizationStatus From(JsonObject kustomization)
    {
        var status = kustomization["status"] as JsonObject;
        return new FluxKustomizationStatus(
            kustomization["metadata"]?["generation"]?.GetValue<long>() ?? 0,
            status?["observedGeneration"]?.GetValue<long>() ?? -1,
            kustomization["spec"]?["suspend"]?.GetValue<bool>() ?? false,
            status?["lastAppliedRevision"]?.GetValue<string>(),
            status?["lastAppliedOriginRevision"]?.GetValue<string>(),
            status?["lastAttemptedRevision"]?.GetValue<string>(),
            (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new Condition(
                c["type"]?.GetValue<string>() ?? "",
                c["status"]?.GetValue<string>() ?? "Unknown",
                c["reason"]?.GetValue<string>(),
                c["message"]?.GetValue<string>())).ToList());
    }

    /// <summary>
    /// The commit hash in a Flux revision: <c>main@sha1:abc…</c>, <c>refs/heads/main@sha1:abc…</c>,
    /// <c>sha1:abc…</c>, or the pre-v2 form <c>main/abc…</c>.
    /// </summary>
    public static string? CommitOf(string? revision)
    {
        if (string.IsNullOrEmpty(revision)) return null;
        var colon = revision.LastIndexOf(':');
        if (colon >= 0) return revision[(colon + 1)..];
        var slash = revision.LastIndexOf('/');
        return slash >= 0 ? revision[(slash + 1)..] : revision;
    }
}
