using Pipelines.Containers;

namespace Pipelines.Signing;

/// <summary>The cosign layout's registry calls, made through the toolkit's OCI <see cref="RegistryClient"/>.</summary>
public sealed class RegistrySignatureStore(RegistryClient client) : ISignatureStore
{
    public async Task<byte[]?> GetManifestAsync(ImageReference tagged, CancellationToken cancellationToken) =>
        (await client.GetManifestAsync(tagged, cancellationToken))?.Content;

    public Task<byte[]> GetBlobAsync(ImageReference repository, string digest, CancellationToken cancellationToken) =>
        client.GetBlobAsync(repository.WithoutTagOrDigest(), digest, cancellationToken);

    public async Task PushBlobAsync(ImageReference repository, byte[] content, CancellationToken cancellationToken) =>
        await client.PushBlobAsync(repository.WithoutTagOrDigest(), content, cancellationToken: cancellationToken);

    public async Task PutManifestAsync(ImageReference tagged, byte[] manifest, string mediaType, CancellationToken cancellationToken) =>
        await client.PutManifestAsync(tagged.WithoutTagOrDigest(), RawManifest.FromBytes(mediaType, manifest), tagged.Tag, cancellationToken);
}
