using Pipelines.Oci;

namespace Pipelines.Signing;

/// <summary>
/// The few registry calls cosign's tag layout needs. <see cref="RegistrySignatureStore"/> implements it
/// over the toolkit's OCI registry client; the interface keeps the layout logic free of HTTP.
/// </summary>
internal interface ISignatureStore
{
    /// <summary>The manifest a tag points to, or <c>null</c> when the tag does not exist.</summary>
    Task<byte[]?> GetManifestAsync(ImageReference tagged, CancellationToken cancellationToken);

    /// <summary>A blob's bytes, checked against its digest.</summary>
    Task<byte[]> GetBlobAsync(ImageReference repository, string digest, CancellationToken cancellationToken);

    /// <summary>Uploads a blob unless the repository already has it.</summary>
    Task PushBlobAsync(ImageReference repository, byte[] content, CancellationToken cancellationToken);

    /// <summary>Puts a manifest under the reference's tag.</summary>
    Task PutManifestAsync(ImageReference tagged, byte[] manifest, string mediaType, CancellationToken cancellationToken);
}
