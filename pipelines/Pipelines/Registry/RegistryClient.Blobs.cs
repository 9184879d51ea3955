using System.Net;
using System.Net.Http.Headers;
using Pipelines.Logging;
using Pipelines.Oci;

namespace Pipelines.Registry;

internal sealed partial class RegistryClient
{
    /// <summary>True when <paramref name="repository"/> holds the blob <paramref name="digest"/> (<c>HEAD</c>).</summary>
    public async Task<bool> BlobExistsAsync(ImageReference repository, string digest, CancellationToken cancellationToken = default)
    {
        var what = $"look up blob {digest} in {repository.RepositoryUrl}";
        using var response = await SendAsync(
            new RegistryRequest(HttpMethod.Head, repository, BlobPath(repository, digest), what), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, what);
        return true;
    }

    /// <summary>The size of the blob <paramref name="digest"/> in <paramref name="repository"/> (<c>HEAD</c>), or null when it is not there.</summary>
    public async Task<long?> BlobSizeAsync(ImageReference repository, string digest, CancellationToken cancellationToken = default)
    {
        var what = $"look up blob {digest} in {repository.RepositoryUrl}";
        using var response = await SendAsync(
            new RegistryRequest(HttpMethod.Head, repository, BlobPath(repository, digest), what), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, what);
        return response.Content.Headers.ContentLength
               ?? throw new RegistryException($"Registry {repository.Registry} answered HEAD for blob {digest} without a Content-Length.");
    }

    /// <summary>A blob's bytes (following the registry's redirect to storage), checked against <paramref name="digest"/>.</summary>
    public async Task<byte[]> GetBlobAsync(ImageReference repository, string digest, CancellationToken cancellationToken = default)
    {
        var what = $"fetch blob {digest} from {repository.RepositoryUrl}";
        using var response = await SendAsync(new RegistryRequest(HttpMethod.Get, repository, BlobPath(repository, digest), what), cancellationToken);
        await EnsureSuccessAsync(response, what);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!Digest.Matches(content, digest))
            throw new RegistryException($"Blob {digest} from {repository.RepositoryUrl} has digest {Digest.Compute(content)}: the content was altered in transit or storage.");
        return content;
    }

    /// <summary>Pushes <paramref name="content"/> (its digest is computed) unless the repository already has it. See the stream overload.</summary>
    public Task<BlobPushResult> PushBlobAsync(ImageReference repository, byte[] content, string? mountFrom = null, CancellationToken cancellationToken = default) =>
        PushBlobAsync(repository, Digest.Compute(content), content.LongLength, () => new MemoryStream(content, writable: false), mountFrom, cancellationToken);

    /// <summary>
    /// Makes the blob <paramref name="digest"/> present in <paramref name="repository"/>: nothing is sent when it already
    /// exists; with <paramref name="mountFrom"/> (another repository of the same registry) it is mounted when the registry
    /// can (201), else uploaded (202 fallback). Blobs up to <see cref="RegistryClientOptions.ChunkSize"/> go in one PUT,
    /// larger ones in PATCH chunks. <paramref name="open"/> is called again for a retried monolithic upload.
    /// </summary>
    public async Task<BlobPushResult> PushBlobAsync(ImageReference repository, string digest, long size, Func<Stream> open,
        string? mountFrom = null, CancellationToken cancellationToken = default)
    {
        Digest.Validate(digest, "The blob digest");
        if (await BlobExistsAsync(repository, digest, cancellationToken))
            return new BlobPushResult(digest, size, BlobPushOutcome.AlreadyExists);

        // A session broken mid-way (a reset PATCH or PUT, a session the registry lost) is abandoned and the upload
        // starts again in a new one: the abandoned session expires by itself, and a blob is stored only when its
        // closing PUT names a digest the bytes match.
        // The POST starting a session is retried per request already: only a failure after it starts the upload again.
        for (var attempt = 1; ; attempt++)
        {
            var (mounted, location) = await StartUploadAsync(repository, digest, mountFrom, cancellationToken);
            if (mounted) return new BlobPushResult(digest, size, BlobPushOutcome.Mounted);
            try
            {
                return size > _options.ChunkSize
                    ? await UploadChunkedAsync(repository, digest, size, open, location!, _options.ChunkSize, cancellationToken)
                    : await UploadMonolithicAsync(repository, digest, size, open, location!, cancellationToken);
            }
            catch (RegistryException e) when (attempt <= _options.MaxRetries && IsRestartable(e, chunked: size > _options.ChunkSize) && !cancellationToken.IsCancellationRequested)
            {
                var delay = RestartDelay(attempt);
                _log.Warn($"The upload of blob {digest} to {repository.RepositoryUrl} broke off ({FirstSentence(e.Message)}); starting it again in {delay.TotalMilliseconds:0} ms (restart {attempt} of {_options.MaxRetries}).");
                await Task.Delay(delay, cancellationToken);
                // A lost answer may have hidden a finished upload.
                if (await BlobExistsAsync(repository, digest, cancellationToken))
                    return new BlobPushResult(digest, size, size > _options.ChunkSize ? BlobPushOutcome.UploadedChunked : BlobPushOutcome.UploadedMonolithic);
            }
        }
    }

    /// <summary>
    /// A failure a new upload session can get past: a session the registry no longer knows; and for a chunked upload,
    /// whose PATCHes are never repeated on their own, no answer, 429 or 5xx. A monolithic PUT's transient failures were
    /// retried per request already: starting the session again would multiply those retries.
    /// </summary>
    private static bool IsRestartable(RegistryException e, bool chunked) =>
        e.HasCode("BLOB_UPLOAD_UNKNOWN") || e.HasCode("BLOB_UPLOAD_INVALID") || (chunked && (e.StatusCode is null
            ? e.InnerException is HttpRequestException or TaskCanceledException or IOException
            : (int)e.StatusCode.Value is 429 or >= 500));

    /// <summary>Exponential back-off from <see cref="RegistryClientOptions.RetryDelay"/>, capped, with jitter.</summary>
    private TimeSpan RestartDelay(int attempt)
    {
        var ceiling = Math.Min(_options.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1), _options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }

    /// <summary>Pushes a blob in <c>PATCH</c> chunks of <paramref name="chunkSize"/> bytes whatever its size (no existence check, no mount).</summary>
    public async Task<BlobPushResult> PushBlobChunkedAsync(ImageReference repository, string digest, long size, Func<Stream> open, int chunkSize,
        CancellationToken cancellationToken = default)
    {
        if (chunkSize <= 0) throw new ArgumentOutOfRangeException(nameof(chunkSize), "A chunk holds at least one byte.");
        var (_, location) = await StartUploadAsync(repository, Digest.Validate(digest, "The blob digest"), null, cancellationToken);
        return await UploadChunkedAsync(repository, digest, size, open, location!, chunkSize, cancellationToken);
    }

    /// <summary><c>POST</c> to start an upload session, or to mount: (true, null) when mounted, else (false, upload URL).</summary>
    private async Task<(bool Mounted, string? Location)> StartUploadAsync(ImageReference repository, string digest, string? mountFrom, CancellationToken cancellationToken)
    {
        var mount = mountFrom is not null && mountFrom != repository.Repository;
        var path = $"{repository.Repository}/blobs/uploads/" +
                   (mount ? $"?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(mountFrom!)}" : "");
        var what = mount ? $"mount blob {digest} from {mountFrom} into {repository.RepositoryUrl}" : $"start uploading blob {digest} to {repository.RepositoryUrl}";
        using var response = await SendAsync(new RegistryRequest(HttpMethod.Post, repository, path, what)
        {
            Push = true,
            AlsoPullFrom = mount ? mountFrom : null,
            Retry = RetryMode.BeforeProcessing,
            Content = () => new ByteArrayContent([]),
        }, cancellationToken);
        await EnsureSuccessAsync(response, what);
        if (response.StatusCode == HttpStatusCode.Created && mount) return (true, null);
        return (false, LocationOf(response, what));
    }

    private async Task<BlobPushResult> UploadMonolithicAsync(ImageReference repository, string digest, long size, Func<Stream> open, string location, CancellationToken cancellationToken)
    {
        var what = $"upload blob {digest} to {repository.RepositoryUrl}";
        await FinishUploadAsync(repository, digest, WithDigest(location, digest), what, () =>
        {
            var body = new StreamContent(open());
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            body.Headers.ContentLength = size;
            return body;
        }, cancellationToken);
        return new BlobPushResult(digest, size, BlobPushOutcome.UploadedMonolithic);
    }

    private async Task<BlobPushResult> UploadChunkedAsync(ImageReference repository, string digest, long size, Func<Stream> open, string location, int chunkSize, CancellationToken cancellationToken)
    {
        var what = $"upload blob {digest} to {repository.RepositoryUrl} in chunks";
        await using var stream = open();
        var buffer = new byte[(int)Math.Min(chunkSize, Math.Max(size, 1))];
        long offset = 0;
        while (true)
        {
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            if (read == 0) break;
            var chunk = buffer.AsMemory(0, read).ToArray();
            var start = offset;
            // PATCH appends at the session's offset: never repeated, since a duplicate would corrupt the blob.
            using var response = await SendAsync(new RegistryRequest(HttpMethod.Patch, repository, location, what)
            {
                Push = true,
                Retry = RetryMode.Never,
                Content = () =>
                {
                    var body = new ByteArrayContent(chunk);
                    body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    body.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + chunk.Length - 1}");
                    return body;
                },
            }, cancellationToken);
            await EnsureSuccessAsync(response, $"{what} (bytes {start}-{start + chunk.Length - 1})");
            location = LocationOf(response, what);
            offset += read;
        }
        if (offset != size)
            throw new PipelineException($"Blob {digest} was announced as {size} bytes but the stream held {offset}: the file changed during the push.");
        await FinishUploadAsync(repository, digest, WithDigest(location, digest), what, () => new ByteArrayContent([]), cancellationToken);
        return new BlobPushResult(digest, size, BlobPushOutcome.UploadedChunked);
    }

    /// <summary>The closing <c>PUT ?digest=</c>. Repeating it is safe: if a lost answer hid a success, the retry finds the upload gone and the blob present.</summary>
    private async Task FinishUploadAsync(ImageReference repository, string digest, string url, string what, Func<HttpContent> content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new RegistryRequest(HttpMethod.Put, repository, url, what) { Push = true, Content = content }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound && await BlobExistsAsync(repository, digest, cancellationToken)) return;
        await EnsureSuccessAsync(response, what);
        var reported = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        if (reported is not null && reported != digest)
            throw new RegistryException($"Registry {repository.Registry} stored blob {reported} for the upload of {digest}.");
    }

    private static string LocationOf(HttpResponseMessage response, string what)
    {
        var location = response.Headers.Location
                       ?? throw new RegistryException($"Registry {response.RequestMessage?.RequestUri?.Authority} answered {(int)response.StatusCode} to {what} without a Location header.");
        return location.IsAbsoluteUri ? location.ToString() : new Uri(response.RequestMessage!.RequestUri!, location).ToString();
    }

    private static string WithDigest(string location, string digest) =>
        location + (location.Contains('?') ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest);

    private static string BlobPath(ImageReference repository, string digest) =>
        $"{repository.Repository}/blobs/{Digest.Validate(digest, "The blob digest")}";
}
