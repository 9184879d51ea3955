using Pipelines.Oci;

namespace Pipelines.Signing;

/// <summary>What signing or attesting did.</summary>
/// <param name="Image">The image that was signed, by digest.</param>
/// <param name="Location">Where the signature or attestation lives: <c>repo:sha256-&lt;hex&gt;.sig</c> / <c>.att</c>.</param>
/// <param name="LayerDigest">The digest of the payload (signature) or envelope (attestation) layer.</param>
/// <param name="Added">False when an identical one by the same key was already there.</param>
/// <param name="LayerCount">How many signatures or attestations the manifest holds now.</param>
internal sealed record AttachedArtifact(ImageReference Image, ImageReference Location, string LayerDigest, bool Added, int LayerCount);
