using Pipelines.Oci;
using Pipelines.Registry;

namespace Pipelines.Signing;

/// <summary>The cosign layout's registry calls, made through the toolkit's OCI <see cref="RegistryClient"/>.</summary>
internal sealed class RegistrySignatureStore(RegistryClient client) : ISignatureStore
{
    /// <summary>Fetches the manifest at a signature tag; null when none exists.</summary>
    public async Task<byte[]?> GetManifestAsync(ImageReference tagged, CancellationToken cancellationToken) =>
        (await client.GetManifestAsync(tagged, cancellationToken))?.Content;

    /// <summary>Fetches a blob of a signature or attestation.</summary>
    public Task<byte[]> GetBlobAsync(ImageReference repository, string digest, CancellationToken cancellationToken) =>
        client.GetBlobAsync(repository.WithoutTagOrDigest(), digest, cancellationToken);

    /// <summary>Uploads a blob of a signature or attestation.</summary>
    public async Task PushBlobAsync(ImageReference repository, byte[] content, CancellationToken cancellationToken) =>
        await client.PushBlobAsync(repository.WithoutTagOrDigest(), content, cancellationToken: cancellationToken);

    /// <summary>Stores the signature or attestation manifest under its tag.</summary>
    public async Task PutManifestAsync(ImageReference tagged, byte[] manifest, string mediaType, CancellationToken cancellationToken) =>
        await client.PutManifestAsync(tagged.WithoutTagOrDigest(), RawManifest.FromBytes(mediaType, manifest), tagged.Tag, cancellationToken);
}
