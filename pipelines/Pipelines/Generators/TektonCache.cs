namespace Pipelines.Generators;

/// <summary>
/// A volume kept between PipelineRuns (a PersistentVolumeClaim the generator writes), mounted as an optional
/// workspace into the Tasks of <see cref="Targets"/>; the build parameter <see cref="Parameter"/> points at it.
/// </summary>
/// <param name="Name">The workspace name; the claim is <c>&lt;pipeline&gt;-&lt;Name&gt;</c>.</param>
/// <param name="Parameter">The build parameter (member name) that takes the cache folder, e.g. <c>TrivyCacheDir</c>; or, with
/// <see cref="EnvironmentVariable"/> set, a name for the cache in descriptions.</param>
/// <param name="Targets">The targets whose Tasks mount the cache.</param>
public sealed record TektonCache(string Name, string Parameter, IReadOnlyList<string> Targets)
{
    /// <summary>An environment variable the engine itself reads for the folder (e.g. the target cache's <c>PIPELINE_CACHE_DIR</c>), in place of a build parameter.</summary>
    public string? EnvironmentVariable { get; init; }

    /// <summary>The claim's size.</summary>
    public string Size { get; init; } = "5Gi";
}
