using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using System.Formats.Tar;
using System.Security.Cryptography;

namespace Pipelines.Containers;

/// <summary>
/// Pushes an image the Docker daemon built through the toolkit's own registry client, as crane and ko do, so that
/// every request is retried on its own (a reset or a 503 costs one request again, not the whole push) and the
/// digest reported is the one the registry holds. Layers go up compressed as <see cref="ImagePushRequest.Compression"/>
/// says (gzip by default, as <c>docker push</c>), compressed in parallel while the export is read; the config keeps the
/// daemon's uncompressed <c>diff_ids</c>. Which blob each layer became is remembered (<see cref="LayerDigests"/>), so an
/// image whose blobs the registry already holds is pushed with a few <c>HEAD</c>s and one manifest <c>PUT</c> per tag,
/// and the image is exported from the daemon only when a blob is missing.
/// </summary>
internal sealed class ImagePusher(RegistryClient registry, ILog log, LayerDigests? layerDigests = null)
{
    /// <summary>Blobs read from the daemon wait in <c>gitops-push-&lt;pid&gt;-&lt;random&gt;</c> in the temp directory until uploaded.</summary>
    private const string SpoolPrefix = "gitops-push-";

    /// <summary>How many blobs go up at once.</summary>
    private const int UploadParallelism = 3;

    /// <summary>How many layers are compressed at once: compression is CPU-bound, and CI machines have two cores.</summary>
    private static readonly int CompressParallelism = Math.Clamp(Environment.ProcessorCount, 1, 2);

    /// <summary>Makes every blob present in the repository, then stores the manifest under each tag and checks the registry holds it.</summary>
    public async Task<ImagePushResult> PushAsync(ImagePushRequest request, CancellationToken cancellationToken = default)
    {
        var repository = request.Repository.WithoutTagOrDigest();
        if (request.Tags.Count == 0) throw new PipelineException($"No tag to push {repository} under.");
        Digest.Validate(request.ConfigDigest, "The image's config digest");
        foreach (var layer in request.LayerDiffIds) Digest.Validate(layer, "A layer digest of the image");

        // 1. Which blobs the registry already holds: the config by its digest, a layer by the blob it became last time
        //    (uncompressed, the blob is the diff ID itself).
        var diffIds = request.LayerDiffIds.Distinct().ToList();
        var configSize = await registry.BlobSizeAsync(repository, request.ConfigDigest, cancellationToken);
        var layers = new Dictionary<string, LayerBlob>();
        var lookups = await Task.WhenAll(diffIds.Select(async d => (DiffId: d, Blob: await HeldBlobAsync(repository, d, request.Compression, cancellationToken))));
        foreach (var (diffId, blob) in lookups)
            if (blob is not null) layers[diffId] = blob;
        var missingLayers = diffIds.Where(d => !layers.ContainsKey(d)).ToHashSet();

        // 2. The missing ones from the daemon's export, each compressed and uploaded as soon as it has been read.
        var uploaded = new Exported(null, [], 0, 0);
        if (configSize is null || missingLayers.Count > 0)
        {
            uploaded = await UploadFromTarballAsync(repository, request, configSize is null, missingLayers, cancellationToken);
            foreach (var (diffId, blob) in uploaded.Layers) layers[diffId] = blob;
            layerDigests?.Remember(repository.Registry, request.Compression, uploaded.Layers);
        }

        // 3. The manifest, under each tag; the registry must hold exactly these bytes.
        var mediaType = LayerCompressor.MediaType(request.Compression);
        var manifest = RawManifest.From(new OciManifest
        {
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Size = configSize ?? uploaded.ConfigSize!.Value, Digest = request.ConfigDigest },
            Layers = request.LayerDiffIds.Select(l => new Descriptor { MediaType = mediaType, Size = layers[l].Size, Digest = layers[l].Digest }).ToList(),
        });
        foreach (var tag in request.Tags)
        {
            await registry.PutManifestAsync(repository, manifest, tag, cancellationToken);
            var held = await registry.ResolveDigestAsync(repository.WithTag(tag), cancellationToken);
            if (held != manifest.Digest)
                throw new RegistryException($"Registry {repository.Registry} holds {held ?? "nothing"} under {repository}:{tag} right after {manifest.Digest} was stored there: another push raced this one, or the registry rewrote the manifest.");
            log.Info($"Pushed {repository}:{tag} → {manifest.Digest}");
        }
        var total = diffIds.Count + 1;
        log.Info($"{uploaded.BlobsSent} blob(s) uploaded ({uploaded.BytesSent / 1024.0 / 1024.0:0.0} MiB, layers {request.Compression.ToString().ToLowerInvariant()}), {total - uploaded.BlobsSent} already in {repository.Registry}.");
        return new ImagePushResult(manifest.Digest, uploaded.BlobsSent, total - uploaded.BlobsSent, uploaded.BytesSent);
    }

    /// <summary>The blob a layer became in this repository, when the registry still holds it; null means it must be exported.</summary>
    private async Task<LayerBlob?> HeldBlobAsync(ImageReference repository, string diffId, LayerCompression compression, CancellationToken cancellationToken)
    {
        var candidate = compression == LayerCompression.None ? diffId : layerDigests?.Find(repository.Registry, compression, diffId)?.Digest;
        if (candidate is null) return null;
        return await registry.BlobSizeAsync(repository, candidate, cancellationToken) is { } size ? new LayerBlob(candidate, size) : null;
    }

    /// <summary>
    /// Reads the <c>docker save</c> tarball once, spools each missing blob to a temporary file (its digest checked
    /// against the daemon's), then compresses and uploads it while the next one is read.
    /// </summary>
    private async Task<Exported> UploadFromTarballAsync(ImageReference repository, ImagePushRequest request, bool configMissing, HashSet<string> missingLayers, CancellationToken cancellationToken)
    {
        TemporaryFolders.RemoveStale(SpoolPrefix);
        var spool = new DirectoryInfo(TemporaryFolders.New(SpoolPrefix));
        var uploads = new List<Task<PushedBlob>>();
        // One failure (the export breaking off, an upload refused) stops every other upload and the export at once:
        // the push has failed, and bytes still going up would only delay saying so.
        using var pushing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = pushing.Token;
        using var compressGate = new SemaphoreSlim(CompressParallelism);
        using var uploadGate = new SemaphoreSlim(UploadParallelism);
        var wanted = missingLayers.ToHashSet();
        if (configMissing) wanted.Add(request.ConfigDigest);
        try
        {
            await using (var tarball = await request.OpenTarball(token))
            await using (var reader = new TarReader(tarball))
            {
                var seen = new HashSet<string>();
                while (await reader.GetNextEntryAsync(copyData: false, token) is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null || !IsBlobCandidate(entry.Name))
                        continue;
                    // The OCI layout names blobs by digest: one not missing need not be read at all.
                    var named = NamedDigest(entry.Name);
                    if (named is not null && !wanted.Contains(named)) continue;
                    var path = Path.Combine(spool.FullName, seen.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    var digest = await SpoolAsync(entry.DataStream, path, token);
                    if (!wanted.Contains(digest) || !seen.Add(digest))
                    {
                        File.Delete(path);
                        continue;
                    }
                    uploads.Add(CancelOthersOnFailure(digest == request.ConfigDigest
                        ? UploadAsync(repository, digest, digest, path, uploadGate, token)
                        : CompressAndUploadAsync(repository, digest, path, request.Compression, compressGate, uploadGate, token)));
                }
            }
            var done = await Task.WhenAll(uploads);
            var lacking = wanted.Except(done.Select(d => d.Source)).ToList();
            if (lacking.Count > 0)
                throw new PipelineException($"The Docker daemon's export of {request.ConfigDigest} lacks {string.Join(", ", lacking)}, which the registry does not hold either: rebuild the image.");
            return new Exported(
                done.Where(d => d.Source == request.ConfigDigest).Select(d => (long?)d.Blob.Size).FirstOrDefault(),
                done.Where(d => d.Source != request.ConfigDigest).ToDictionary(d => d.Source, d => d.Blob),
                done.Count(d => d.Sent), done.Where(d => d.Sent).Sum(d => d.Blob.Size));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stopped by a failed upload, not by the caller: that upload's error is the one to report.
            await Task.WhenAll(uploads);
            throw;
        }
        catch
        {
            await pushing.CancelAsync();
            throw;
        }
        finally
        {
            // Let running uploads end (cancelled at once after a failure) before their files go.
            try { await Task.WhenAll(uploads); } catch { /* reported above */ }
            TemporaryFolders.Delete(spool.FullName);
        }

        async Task<PushedBlob> CancelOthersOnFailure(Task<PushedBlob> upload)
        {
            try { return await upload; }
            catch
            {
                await pushing.CancelAsync();
                throw;
            }
        }
    }

    /// <summary>Compresses a spooled layer (unless it goes up as it is), drops the uncompressed copy, and uploads the blob.</summary>
    private async Task<PushedBlob> CompressAndUploadAsync(ImageReference repository, string diffId, string path, LayerCompression compression,
        SemaphoreSlim compressGate, SemaphoreSlim uploadGate, CancellationToken cancellationToken)
    {
        if (compression == LayerCompression.None)
            return await UploadAsync(repository, diffId, diffId, path, uploadGate, cancellationToken);
        string digest;
        var blob = path + ".blob";
        await compressGate.WaitAsync(cancellationToken);
        try
        {
            (digest, _) = await LayerCompressor.CompressAsync(path, blob, compression, cancellationToken);
            File.Delete(path);
        }
        finally
        {
            compressGate.Release();
        }
        return await UploadAsync(repository, diffId, digest, blob, uploadGate, cancellationToken);
    }

    /// <summary>Uploads a blob file under its digest (unless the registry holds it); the registry checks the bytes against the digest before it keeps them.</summary>
    private async Task<PushedBlob> UploadAsync(ImageReference repository, string source, string digest, string path, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var size = new FileInfo(path).Length;
            var result = await registry.PushBlobAsync(repository, digest, size, () => File.OpenRead(path), cancellationToken: cancellationToken);
            log.Debug($"Blob {digest} ({size} bytes): {result.Outcome}");
            return new PushedBlob(source, new LayerBlob(digest, size), result.Outcome is not (BlobPushOutcome.AlreadyExists or BlobPushOutcome.Mounted));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Copies <paramref name="data"/> to <paramref name="path"/> and returns its <c>sha256:</c> digest.</summary>
    private static async Task<string> SpoolAsync(Stream data, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await data.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Entries of <c>docker save</c> that hold blobs: <c>&lt;id&gt;/layer.tar</c> and the config <c>&lt;hex&gt;.json</c> (classic), or <c>blobs/sha256/&lt;hex&gt;</c> (OCI layout).</summary>
    private static bool IsBlobCandidate(string name) =>
        name.StartsWith("blobs/", StringComparison.Ordinal)
        || name.EndsWith("/layer.tar", StringComparison.Ordinal)
        || (name.EndsWith(".json", StringComparison.Ordinal) && !name.Contains('/') && name is not "manifest.json" and not "index.json");

    private static string? NamedDigest(string name)
    {
        if (!name.StartsWith("blobs/", StringComparison.Ordinal)) return null;
        var parts = name.Split('/');
        return parts.Length == 3 && Digest.IsValid($"{parts[1]}:{parts[2]}") ? $"{parts[1]}:{parts[2]}" : null;
    }

    /// <summary>What the export made present: the config's size (when it was missing) and, per diff ID, the blob each missing layer became; what was actually sent.</summary>
    private sealed record Exported(long? ConfigSize, Dictionary<string, LayerBlob> Layers, int BlobsSent, long BytesSent);

    /// <summary>A blob made present from the export: the daemon's digest it came from (diff ID or config), the blob, whether its bytes were sent.</summary>
    private sealed record PushedBlob(string Source, LayerBlob Blob, bool Sent);
}
