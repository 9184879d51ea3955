using Pipelines.Logging;
using Pipelines.Oci;
using Pipelines.Registry;
using System.Formats.Tar;
using System.Security.Cryptography;

namespace Pipelines.Containers;

/// <summary>
/// Pushes an image the Docker daemon built through the toolkit's own registry client, as crane and ko do, so that
/// every request is retried on its own (a reset or a 503 costs one request again, not the whole push) and the
/// digest reported is the one the registry holds. Layers go up uncompressed (<c>application/vnd.oci.image.layer.v1.tar</c>):
/// their digests are the daemon's diff IDs, known without reading a byte, so an image whose blobs the registry
/// already holds is pushed with a few <c>HEAD</c>s and one manifest <c>PUT</c> per tag, and the image is exported
/// from the daemon only when a blob is missing.
/// </summary>
internal sealed class ImagePusher(RegistryClient registry, ILog log)
{
    /// <summary>An uncompressed OCI layer, what <c>docker save</c> holds.</summary>
    public const string UncompressedLayer = "application/vnd.oci.image.layer.v1.tar";

    /// <summary>Blobs read from the daemon wait in <c>gitops-push-&lt;pid&gt;-&lt;random&gt;</c> in the temp directory until uploaded.</summary>
    private const string SpoolPrefix = "gitops-push-";

    /// <summary>How many blobs go up at once.</summary>
    private const int Parallelism = 3;

    /// <summary>Makes every blob present in the repository, then stores the manifest under each tag and checks the registry holds it.</summary>
    public async Task<ImagePushResult> PushAsync(ImagePushRequest request, CancellationToken cancellationToken = default)
    {
        var repository = request.Repository.WithoutTagOrDigest();
        if (request.Tags.Count == 0) throw new PipelineException($"No tag to push {repository} under.");
        Digest.Validate(request.ConfigDigest, "The image's config digest");
        foreach (var layer in request.LayerDiffIds) Digest.Validate(layer, "A layer digest of the image");

        // 1. Which blobs the registry already holds, and their sizes.
        var wanted = request.LayerDiffIds.Prepend(request.ConfigDigest).Distinct().ToList();
        var sizes = new Dictionary<string, long>();
        var lookups = await Task.WhenAll(wanted.Select(async d => (Digest: d, Size: await registry.BlobSizeAsync(repository, d, cancellationToken))));
        foreach (var (digest, size) in lookups)
            if (size is { } known) sizes[digest] = known;
        var missing = wanted.Where(d => !sizes.ContainsKey(d)).ToHashSet();

        // 2. The missing ones from the daemon's export, each uploaded as soon as it has been read.
        long bytes = 0;
        if (missing.Count > 0)
        {
            var uploaded = await UploadFromTarballAsync(repository, request, missing, cancellationToken);
            foreach (var (digest, size) in uploaded) sizes[digest] = size;
            bytes = uploaded.Values.Sum();
        }

        // 3. The manifest, under each tag; the registry must hold exactly these bytes.
        var manifest = RawManifest.From(new OciManifest
        {
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Size = sizes[request.ConfigDigest], Digest = request.ConfigDigest },
            Layers = request.LayerDiffIds.Select(l => new Descriptor { MediaType = UncompressedLayer, Size = sizes[l], Digest = l }).ToList(),
        });
        foreach (var tag in request.Tags)
        {
            await registry.PutManifestAsync(repository, manifest, tag, cancellationToken);
            var held = await registry.ResolveDigestAsync(repository.WithTag(tag), cancellationToken);
            if (held != manifest.Digest)
                throw new RegistryException($"Registry {repository.Registry} holds {held ?? "nothing"} under {repository}:{tag} right after {manifest.Digest} was stored there: another push raced this one, or the registry rewrote the manifest.");
            log.Info($"Pushed {repository}:{tag} → {manifest.Digest}");
        }
        log.Info($"{missing.Count} blob(s) uploaded ({bytes / 1024.0 / 1024.0:0.0} MiB), {wanted.Count - missing.Count} already in {repository.Registry}.");
        return new ImagePushResult(manifest.Digest, missing.Count, wanted.Count - missing.Count, bytes);
    }

    /// <summary>Reads the <c>docker save</c> tarball once, spools each missing blob to a temporary file (checking its digest) and uploads it.</summary>
    private async Task<Dictionary<string, long>> UploadFromTarballAsync(ImageReference repository, ImagePushRequest request, HashSet<string> missing, CancellationToken cancellationToken)
    {
        TemporaryFolders.RemoveStale(SpoolPrefix);
        var spool = new DirectoryInfo(TemporaryFolders.New(SpoolPrefix));
        var uploads = new List<Task<(string Digest, long Size)>>();
        using var gate = new SemaphoreSlim(Parallelism);
        try
        {
            await using (var tarball = await request.OpenTarball(cancellationToken))
            await using (var reader = new TarReader(tarball))
            {
                var seen = new HashSet<string>();
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null || !IsBlobCandidate(entry.Name))
                        continue;
                    // The OCI layout names blobs by digest: one not missing need not be read at all.
                    var named = NamedDigest(entry.Name);
                    if (named is not null && !missing.Contains(named)) continue;
                    var path = Path.Combine(spool.FullName, seen.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    var digest = await SpoolAsync(entry.DataStream, path, cancellationToken);
                    if (!missing.Contains(digest) || !seen.Add(digest))
                    {
                        File.Delete(path);
                        continue;
                    }
                    uploads.Add(UploadAsync(repository, digest, path, gate, cancellationToken));
                }
            }
            var done = await Task.WhenAll(uploads);
            var lacking = missing.Except(done.Select(d => d.Digest)).ToList();
            if (lacking.Count > 0)
                throw new PipelineException($"The Docker daemon's export of {request.ConfigDigest} lacks {string.Join(", ", lacking)}, which the registry does not hold either: rebuild the image.");
            return done.ToDictionary(d => d.Digest, d => d.Size);
        }
        finally
        {
            // Let running uploads finish (or fail) before their files go.
            try { await Task.WhenAll(uploads); } catch { /* reported above */ }
            TemporaryFolders.Delete(spool.FullName);
        }
    }

    private async Task<(string Digest, long Size)> UploadAsync(ImageReference repository, string digest, string path, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var size = new FileInfo(path).Length;
            var result = await registry.PushBlobAsync(repository, digest, size, () => File.OpenRead(path), cancellationToken: cancellationToken);
            log.Debug($"Blob {digest} ({size} bytes): {result.Outcome}");
            return (digest, size);
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
}
