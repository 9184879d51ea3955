
namespace Pipelines.Registry;

/// <summary>The digest and size of a blob now in the repository, and how it got there.</summary>
internal sealed record BlobPushResult(string Digest, long Size, BlobPushOutcome Outcome)
{
    /// <summary>True when bytes were sent.</summary>
    public bool Uploaded => Outcome is BlobPushOutcome.UploadedMonolithic or BlobPushOutcome.UploadedChunked;
}
