using Pipelines.Docker;
using Pipelines.Registry;
namespace Pipelines.Containers;

public sealed partial class ImageBuilder
{
    /// <summary>
    /// Pushes the built image under every tag through the registry client (<see cref="ImagePusher"/>): each request is
    /// retried on its own, where the daemon's push retries layers but not the config check or the manifest.
    /// Returns the digest the registry holds.
    /// </summary>
    private async Task<string> PushAsync(string repository, IReadOnlyList<string> tags, string imageId, ContainerizeOptions options, CancellationToken cancellationToken)
    {
        var image = await _docker.InspectImageAsync(imageId, cancellationToken)
                    ?? throw new PipelineException($"The Docker daemon no longer has the image {imageId} it just built; build again.");
        var ownClient = _registry is null;
        var registry = _registry ?? new RegistryClient(new RegistryClientOptions(), new DockerCredentials(explicitCredential: Credential(options.Credentials)), _log);
        try
        {
            var pushed = await new ImagePusher(registry, _log).PushAsync(new ImagePushRequest(
                ImageReference.Parse(repository), tags, image.Id, image.Layers,
                token => _docker.ExportImageAsync(imageId, token)), cancellationToken);
            return pushed.Digest;
        }
        finally
        {
            if (ownClient) registry.Dispose();
        }
    }

    private static RegistryCredential? Credential(RegistryAuth? auth) =>
        auth switch
        {
            { IdentityToken: { } token } => RegistryCredential.Token(token, auth.Source ?? "the Containerize credentials"),
            { Username: { } user } => RegistryCredential.Basic(user, auth.Password ?? "", auth.Source ?? $"username '{user}'"),
            _ => null,
        };
}
