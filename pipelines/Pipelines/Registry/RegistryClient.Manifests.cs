using System.Net;
using System.Net.Http.Headers;
using Pipelines.Oci;

namespace Pipelines.Registry;

internal sealed partial class RegistryClient
{
    /// <summary>
    /// <c>HEAD</c> the manifest <paramref name="image"/> names (its digest, else its tag, else <c>latest</c>).
    /// Returns null when the registry has no such manifest.
    /// </summary>
    public async Task<ManifestDescriptor?> HeadManifestAsync(ImageReference image, CancellationToken cancellationToken = default)
    {
        var what = $"look up manifest {image}";
        using var response = await SendAsync(ManifestRequest(HttpMethod.Head, image, what), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, what);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        if (digest is null && image.Digest is null)
        {
            // Without the header the digest must come from the bytes themselves.
            var manifest = await GetManifestAsync(image, cancellationToken);
            return manifest?.Descriptor;
        }
        return new ManifestDescriptor(
            response.Content.Headers.ContentType?.MediaType ?? "",
            Digest.Validate(digest ?? image.Digest, $"The digest registry {image.Registry} reported for {image}"),
            response.Content.Headers.ContentLength ?? -1);
    }

    /// <summary>The digest of the manifest <paramref name="image"/> names, or null when it does not exist.</summary>
    public async Task<string?> ResolveDigestAsync(ImageReference image, CancellationToken cancellationToken = default) =>
        (await HeadManifestAsync(image, cancellationToken))?.Digest;

    /// <summary>
    /// <c>GET</c> a manifest's exact bytes. The digest is computed from the bytes; when the registry also reports
    /// one, or <paramref name="image"/> is pinned by digest, they must agree. Returns null when not found.
    /// </summary>
    public async Task<RawManifest?> GetManifestAsync(ImageReference image, CancellationToken cancellationToken = default)
    {
        var what = $"fetch manifest {image}";
        using var response = await SendAsync(ManifestRequest(HttpMethod.Get, image, what), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, what);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var computed = Digest.Compute(content);
        var reported = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        foreach (var (claimed, source) in new[] { (image.Digest, "the reference"), (reported, "Docker-Content-Digest") })
            if (claimed is not null && claimed != computed)
                throw new RegistryException($"Manifest {image} from {image.Registry} has digest {computed}, but {source} says {claimed}: the content was altered or the registry is misbehaving.");
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return new RawManifest(string.IsNullOrEmpty(mediaType) ? SniffMediaType(content) : mediaType, computed, content);
    }

    /// <summary>
    /// <c>PUT</c> <paramref name="manifest"/> under <paramref name="tagOrDigest"/> (null: the reference's tag, else by its own digest). The blobs it
    /// names must already be in the repository. Returns the stored descriptor; the digest the registry reports must equal the bytes' digest.
    /// </summary>
    public async Task<ManifestDescriptor> PutManifestAsync(ImageReference repository, RawManifest manifest, string? tagOrDigest = null, CancellationToken cancellationToken = default) =>
        (await PutManifestCoreAsync(repository, manifest, tagOrDigest, cancellationToken)).Descriptor;

    /// <summary>Stores the manifest; also says whether the registry answered <c>OCI-Subject</c> (it indexes referrers itself).</summary>
    private async Task<(ManifestDescriptor Descriptor, bool SubjectIndexed)> PutManifestCoreAsync(
        ImageReference repository, RawManifest manifest, string? tagOrDigest, CancellationToken cancellationToken)
    {
        var reference = tagOrDigest ?? repository.Tag ?? manifest.Digest;
        if (Digest.IsValid(reference) && reference != manifest.Digest)
            throw new PipelineException($"Cannot store manifest {manifest.Digest} under the different digest {reference}.");
        var target = Digest.IsValid(reference) ? repository.WithoutTagOrDigest().WithDigest(reference) : repository.WithoutTagOrDigest().WithTag(reference);
        var what = $"store manifest {target}";
        var request = new RegistryRequest(HttpMethod.Put, repository, $"{repository.Repository}/manifests/{reference}", what)
        {
            Push = true,
            Content = () => Body(manifest.Content, manifest.MediaType),
        };
        using var response = await SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, what);
        var reported = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        if (reported is not null && reported != manifest.Digest)
            throw new RegistryException($"Registry {repository.Registry} stored manifest {target} as {reported}, not {manifest.Digest}: it rewrote the bytes, so digests would not verify.");
        return (manifest.Descriptor, response.Headers.Contains("OCI-Subject"));
    }

    /// <summary><c>DELETE</c> a manifest by digest (registries refuse deleting by tag). Returns false when it did not exist.</summary>
    public async Task<bool> DeleteManifestAsync(ImageReference repository, string digest, CancellationToken cancellationToken = default)
    {
        var what = $"delete manifest {repository.RepositoryUrl}@{digest}";
        using var response = await SendAsync(
            new RegistryRequest(HttpMethod.Delete, repository, $"{repository.Repository}/manifests/{Digest.Validate(digest, "The manifest digest")}", what) { Push = true },
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, what);
        return true;
    }

    private static RegistryRequest ManifestRequest(HttpMethod method, ImageReference image, string what) =>
        new(method, image, $"{image.Repository}/manifests/{image.ManifestReference}", what) { Accept = MediaTypes.Manifests };

    private static ByteArrayContent Body(byte[] content, string mediaType)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return body;
    }

    /// <summary>A registry that omits Content-Type: read the manifest's own mediaType, else guess from its shape.</summary>
    private static string SniffMediaType(byte[] content)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.TryGetProperty("mediaType", out var type) && type.GetString() is { Length: > 0 } declared) return declared;
            return root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        }
        catch (System.Text.Json.JsonException)
        {
            return MediaTypes.OciManifest;
        }
    }
}
