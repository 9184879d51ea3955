namespace Pipelines.Docker;

/// <summary>A finished build.</summary>
/// <param name="ImageId">The image ID (<c>sha256:…</c>) from the stream's <c>aux.ID</c>.</param>
/// <param name="CachedSteps">How many steps the daemon took from its cache (<c>---&gt; Using cache</c>).</param>
internal sealed record ImageBuildResult(string ImageId, int CachedSteps);
