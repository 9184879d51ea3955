
namespace Pipelines.Docker;

/// <summary>A finished push.</summary>
/// <param name="Tag">The tag pushed.</param>
/// <param name="Digest">The manifest digest the registry stored (<c>sha256:…</c>), from the stream's <c>aux</c>.</param>
/// <param name="Size">The manifest's size in bytes.</param>
/// <param name="LayersPushed">Layers the daemon uploaded.</param>
/// <param name="LayersSkipped">Layers the registry already held ("Layer already exists").</param>
internal sealed record PushResult(string Tag, string Digest, long Size, int LayersPushed, int LayersSkipped);
