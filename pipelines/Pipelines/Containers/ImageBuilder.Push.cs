using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
namespace Pipelines.Containers;

internal sealed partial class ImageBuilder
{
    /// <summary>
    /// Pushes the built image under every tag through the registry client (<see cref="ImagePusher"/>): each request is
    /// retried on its own, where the daemon's push retries layers but not the config check or the manifest.
    /// Returns the digest the registry holds.
    /// </summary>
    private async Task<string> PushAsync(string repository, IReadOnlyList<string> tags, string imageId, ContainerizeOptions options, CancellationToken cancellationToken)
    {
        // containerd's image store exports a different layout (image ID = manifest digest, compressed blobs): the daemon pushes those.
        if (await _docker.UsesContainerdImageStoreAsync(cancellationToken))
        {
            if (options.LayerCompression != LayerCompression.Gzip)
                _log.Warn($"--layer-compression {options.LayerCompression.ToString().ToLowerInvariant()} is not applied: this Docker daemon keeps images in containerd's store and pushes them itself, compressed as it stores them (gzip).");
            return await PushThroughDaemonAsync(repository, tags, options, cancellationToken);
        }
        var image = await _docker.InspectImageAsync(imageId, cancellationToken)
                    ?? throw new PipelineException($"The Docker daemon no longer has the image {imageId} it just built; build again.");
        var ownClient = _registry is null;
        var registry = _registry ?? new RegistryClient(new RegistryClientOptions(), new DockerCredentials(explicitCredential: options.Credentials is { IsAnonymous: false } given ? given : null), _log);
        try
        {
            var layerDigests = options.LayerDigestDirectory is { } directory ? new LayerDigests(directory, _log) : null;
            var pushed = await new ImagePusher(registry, _log, layerDigests).PushAsync(new ImagePushRequest(
                ImageReference.Parse(repository), tags, image.Id, image.Layers,
                token => _docker.ExportImageAsync(imageId, token)) { Compression = options.LayerCompression }, cancellationToken);
            return pushed.Digest;
        }
        finally
        {
            if (ownClient) registry.Dispose();
        }
    }

    /// <summary>The daemon's own push, tag by tag (it retries layer uploads itself); the digest of the first tag.</summary>
    private async Task<string> PushThroughDaemonAsync(string repository, IReadOnlyList<string> tags, ContainerizeOptions options, CancellationToken cancellationToken)
    {
        _log.Info("The Docker daemon uses containerd's image store: the image is pushed by the daemon.");
        string? digest = null;
        foreach (var tag in tags)
        {
            var pushed = await _docker.PushImageAsync(repository, tag, options.Credentials ?? RegistryCredential.Anonymous(), cancellationToken);
            _log.Info($"Pushed {repository}:{tag} → {pushed.Digest} ({pushed.LayersPushed} layer(s) uploaded, {pushed.LayersSkipped} already there)");
            digest ??= pushed.Digest;
        }
        return digest!;
    }
}
