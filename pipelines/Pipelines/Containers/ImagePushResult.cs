namespace Pipelines.Containers;

/// <summary>A finished push through the registry client.</summary>
/// <param name="Digest">The manifest digest, as the registry holds it under every tag.</param>
/// <param name="BlobsUploaded">Blobs (config and layers) that were uploaded.</param>
/// <param name="BlobsSkipped">Blobs the registry already held.</param>
/// <param name="BytesUploaded">Bytes of the uploaded blobs.</param>
internal sealed record ImagePushResult(string Digest, int BlobsUploaded, int BlobsSkipped, long BytesUploaded);
