using System.Net;
using Pipelines.Oci;

namespace Pipelines.Registry;

internal sealed partial class RegistryClient
{
    /// <summary>
    /// The tag the OCI referrers fallback uses for a subject: <c>sha256-&lt;hex&gt;</c>. (cosign's own tags add
    /// <c>.sig</c>/<c>.att</c> to it.)
    /// </summary>
    public static string FallbackTag(string subjectDigest) => Digest.Validate(subjectDigest, "The subject digest").Replace(':', '-');

    /// <summary>
    /// The manifests whose <c>subject</c> is <paramref name="subjectDigest"/>: from <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>,
    /// or, when the registry has no referrers API (404), from the index tagged <see cref="FallbackTag"/>.
    /// With <paramref name="artifactType"/>, only those of that type.
    /// </summary>
    public async Task<ReferrersResult> GetReferrersAsync(ImageReference repository, string subjectDigest, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        Digest.Validate(subjectDigest, "The subject digest");
        var what = $"list the referrers of {repository.RepositoryUrl}@{subjectDigest}";
        var path = $"{repository.Repository}/referrers/{subjectDigest}" + (artifactType is null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType));
        using (var response = await SendAsync(new RegistryRequest(HttpMethod.Get, repository, path, what) { Accept = [MediaTypes.OciIndex] }, cancellationToken))
        {
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                await EnsureSuccessAsync(response, what);
                var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var index = OciJson.Deserialize<OciIndex>(content, $"The referrers list of {repository.RepositoryUrl}@{subjectDigest}");
                var filtered = response.Headers.TryGetValues("OCI-Filters-Applied", out var applied) && applied.Any(a => a.Contains("artifactType"));
                return new ReferrersResult(Filter(index.Manifests, filtered ? null : artifactType), FromFallbackTag: false);
            }
        }

        var fallback = await GetManifestAsync(repository.WithoutTagOrDigest().WithTag(FallbackTag(subjectDigest)), cancellationToken);
        if (fallback is null) return new ReferrersResult([], FromFallbackTag: true);
        return new ReferrersResult(Filter(fallback.ParseIndex().Manifests, artifactType), FromFallbackTag: true);
    }

    /// <summary>
    /// Stores a manifest that has a <c>subject</c> (by its digest) and makes it findable by <see cref="GetReferrersAsync"/>:
    /// when the registry does not index referrers itself (no <c>OCI-Subject</c> answer), the fallback index tagged
    /// <see cref="FallbackTag"/> is read, extended with this manifest and stored again. That read-modify-write is
    /// not atomic: two concurrent pushers for one subject can lose an entry, as with every fallback client.
    /// </summary>
    public async Task<ManifestDescriptor> PushReferrerAsync(ImageReference repository, RawManifest manifest, CancellationToken cancellationToken = default)
    {
        var parsed = manifest.IsIndex ? null : manifest.ParseManifest();
        var subject = parsed?.Subject ?? (manifest.IsIndex ? manifest.ParseIndex().Subject : null)
                      ?? throw new PipelineException($"Manifest {manifest.Digest} has no subject, so it cannot be stored as a referrer.");
        var (descriptor, indexed) = await PutManifestCoreAsync(repository, manifest, manifest.Digest, cancellationToken);
        if (indexed) return descriptor;

        var tag = repository.WithoutTagOrDigest().WithTag(FallbackTag(subject.Digest));
        var existing = await GetManifestAsync(tag, cancellationToken);
        var entries = existing?.ParseIndex().Manifests ?? [];
        if (entries.Any(e => e.Digest == manifest.Digest)) return descriptor;
        var entry = descriptor.ToDescriptor(
            parsed?.ArtifactType ?? parsed?.Config.MediaType ?? manifest.ParseIndex().ArtifactType,
            parsed?.Annotations ?? (manifest.IsIndex ? manifest.ParseIndex().Annotations : null));
        var index = new OciIndex { Manifests = [.. entries, entry] };
        await PutManifestAsync(repository, RawManifest.From(index), tag.Tag, cancellationToken);
        return descriptor;
    }

    private static IReadOnlyList<Descriptor> Filter(IReadOnlyList<Descriptor> manifests, string? artifactType) =>
        artifactType is null ? manifests : manifests.Where(m => m.ArtifactType == artifactType).ToList();
}
