namespace Pipelines.Registry;

/// <summary>How a blob got into the repository.</summary>
internal enum BlobPushOutcome
{
    /// <summary>The repository already had it: nothing was sent.</summary>
    AlreadyExists,
    /// <summary>Mounted from another repository of the same registry: nothing was sent.</summary>
    Mounted,
    /// <summary>Uploaded in one <c>PUT</c>.</summary>
    UploadedMonolithic,
    /// <summary>Uploaded in <c>PATCH</c> chunks.</summary>
    UploadedChunked,
}
