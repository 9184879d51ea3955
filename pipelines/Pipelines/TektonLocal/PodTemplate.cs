using System.Globalization;

namespace Pipelines.TektonLocal;

/// <summary>
/// The part of a TaskRun's pod template (podtemplates.md) the local runner applies: the <c>volumes</c> its steps mount
/// by name beside the Task's own, and the pod's <c>securityContext</c> (fsGroup; runAsUser, runAsGroup and
/// runAsNonRoot under every container's own, as the kubelet resolves a container's user).
/// </summary>
/// <param name="SecurityContext">The pod's securityContext, or empty.</param>
/// <param name="Volumes">The pod's extra volumes (emptyDir, configMap, secret, projected), or none.</param>
internal sealed record PodTemplate(IReadOnlyDictionary<string, object?> SecurityContext, IReadOnlyList<object?> Volumes)
{
    /// <summary>No pod template.</summary>
    public static readonly PodTemplate None = new(new Dictionary<string, object?>(), []);

    /// <summary>The pod-level fields a container's own securityContext overrides.</summary>
    private static readonly string[] ContainerFields = ["runAsUser", "runAsGroup", "runAsNonRoot"];

    /// <summary>A <c>podTemplate</c> map as written (null or empty: none).</summary>
    public static PodTemplate Of(object? podTemplate) => new(Yaml.Map(podTemplate, "securityContext"), Yaml.List(podTemplate, "volumes"));

    /// <summary>The group every container gets and the workspaces are owned by, or null.</summary>
    public long? FsGroup => Yaml.String(SecurityContext, "fsGroup") is { } group ? long.Parse(group, CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// This template over <paramref name="fallback"/>, as Tekton's MergePodTemplateWithDefault merges a taskRunSpecs
    /// podTemplate over the taskRunTemplate's: the securityContext whole when this one sets it, volumes merged by name
    /// (this one's winning).
    /// </summary>
    public PodTemplate Over(PodTemplate fallback) => new(
        SecurityContext.Count > 0 ? SecurityContext : fallback.SecurityContext,
        [.. fallback.Volumes.Where(v => !Volumes.Any(own => Yaml.String(own, "name") == Yaml.String(v, "name"))), .. Volumes]);

    /// <summary>The container with the pod's runAs* fields added where its own securityContext leaves them out.</summary>
    public object? Secure(object? container)
    {
        var own = Yaml.Map(container, "securityContext");
        var inherited = ContainerFields.Where(f => SecurityContext.ContainsKey(f) && !own.ContainsKey(f)).ToList();
        if (inherited.Count == 0) return container;
        var security = own.ToDictionary(p => p.Key, p => p.Value);
        foreach (var field in inherited) security[field] = SecurityContext[field];
        var secured = Yaml.Map(container).ToDictionary(p => p.Key, p => p.Value);
        secured["securityContext"] = security;
        return secured;
    }
}
