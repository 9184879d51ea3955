namespace Pipelines.Kubernetes;

/// <summary>
/// A kind of namespaced object the toolkit reads or writes through <see cref="KubernetesClient"/>: its API group,
/// version and plural, as in <c>/apis/{group}/{version}/namespaces/{ns}/{plural}</c>. Custom resources and built-in
/// kinds (apps/v1 Deployments; the core group as an empty <see cref="Group"/>, <c>/api/v1/…</c>) are reached the same way.
/// </summary>
/// <param name="Group">The API group, e.g. <c>tekton.dev</c> or <c>apps</c>; empty for the core group.</param>
/// <param name="Version">The API version, e.g. <c>v1</c>.</param>
/// <param name="Plural">The resource's plural, e.g. <c>pipelineruns</c>.</param>
internal sealed record KubeResource(string Group, string Version, string Plural)
{
    /// <summary>Flux's <c>kustomize.toolkit.fluxcd.io/v1</c> Kustomization.</summary>
    public static KubeResource FluxKustomizations { get; } = new("kustomize.toolkit.fluxcd.io", "v1", "kustomizations");
    /// <summary>Tekton's <c>tekton.dev/v1</c> PipelineRun.</summary>
    public static KubeResource TektonPipelineRuns { get; } = new("tekton.dev", "v1", "pipelineruns");
    /// <summary>Tekton's <c>tekton.dev/v1</c> TaskRun.</summary>
    public static KubeResource TektonTaskRuns { get; } = new("tekton.dev", "v1", "taskruns");
    /// <summary>The built-in <c>apps/v1</c> Deployment.</summary>
    public static KubeResource Deployments { get; } = new("apps", "v1", "deployments");

    /// <summary>The API path of the collection, or of one object when <paramref name="name"/> is given; for messages.</summary>
    public string PathOf(string @namespace, string? name = null) =>
        (Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}") + $"/namespaces/{@namespace}/{Plural}" + (name is null ? "" : "/" + name);

    /// <summary><c>group/version/plural</c> (<c>version/plural</c> for the core group).</summary>
    public override string ToString() => Group.Length == 0 ? $"{Version}/{Plural}" : $"{Group}/{Version}/{Plural}";
}
