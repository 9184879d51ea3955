namespace Pipelines.Generators;

/// <summary>
/// A volume kept between PipelineRuns (a PersistentVolumeClaim the generator writes), mounted as an optional
/// workspace into the Tasks of <see cref="Targets"/>; the build parameter <see cref="Parameter"/> points at it.
/// </summary>
/// <param name="Name">The workspace name; the claim is <c>&lt;pipeline&gt;-&lt;Name&gt;</c>.</param>
/// <param name="Parameter">The build parameter (member name) that takes the cache folder, e.g. <c>TrivyCacheDir</c>.</param>
/// <param name="Targets">The targets whose Tasks mount the cache.</param>
public sealed record TektonCache(string Name, string Parameter, IReadOnlyList<string> Targets)
{
    /// <summary>The claim's size.</summary>
    public string Size { get; init; } = "5Gi";
}
