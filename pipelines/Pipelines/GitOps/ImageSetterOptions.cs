namespace Pipelines.GitOps;

/// <summary>Where, besides kustomizations and workloads, the <see cref="ImageSetter"/> looks for the image.</summary>
/// <param name="HelmValuesPaths">
/// Dot-separated paths (<c>image</c>, <c>app.image</c>) to mappings with <c>repository</c>/<c>tag</c>/<c>digest</c>
/// keys, looked up in Helm values files (<c>values*.yaml</c>) and in a Flux HelmRelease's <c>spec.values</c>.
/// </param>
/// <param name="ImagePolicies">
/// Flux image policies (<c>namespace:name</c>) that stand for this image: a value marked
/// <c># {"$imagepolicy": "namespace:name[:tag|:name|:digest]"}</c> is set and its marker kept.
/// </param>
internal sealed record ImageSetterOptions(IReadOnlyList<string> HelmValuesPaths, IReadOnlyList<string> ImagePolicies)
{
    /// <summary>Helm values at <c>image</c>; no Flux policies.</summary>
    public static ImageSetterOptions Default { get; } = new(["image"], []);
}
