using Pipelines.Oci;
namespace Pipelines.Registry;

/// <summary>The manifests that name a subject, and whether they came from the referrers API or the tag-schema fallback.</summary>
/// <param name="Manifests">Descriptors of the referring manifests (artifactType and annotations included).</param>
/// <param name="FromFallbackTag">True when the registry has no referrers API and the <c>sha256-&lt;hex&gt;</c> tag was read.</param>
internal sealed record ReferrersResult(IReadOnlyList<Descriptor> Manifests, bool FromFallbackTag);
