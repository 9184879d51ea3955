using System.Text.Json.Serialization;

namespace Pipelines.Oci;

/// <summary>
/// An image manifest (OCI or Docker schema 2: same shape). Serialize with <see cref="OciJson"/>; the digest
/// of a manifest is over the exact bytes stored, so keep the bytes (<see cref="RawManifest"/>) once written.
/// </summary>
internal sealed record OciManifest
{
    /// <summary>Always 2 in an OCI or Docker v2 manifest.</summary>
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    /// <summary>Tells registries which manifest format this is.</summary>
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; } = MediaTypes.OciManifest;

    /// <summary>The artifact type (OCI 1.1 artifacts), when any.</summary>
    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    /// <summary>The image configuration blob (or an artifact's config).</summary>
    [JsonPropertyName("config")]
    public required Descriptor Config { get; init; }

    /// <summary>The filesystem layers (or an artifact's blobs), base first.</summary>
    [JsonPropertyName("layers")]
    public IReadOnlyList<Descriptor> Layers { get; init; } = [];

    /// <summary>Key/value metadata, written in sorted key order so the bytes (and the digest) are stable.</summary>
    [JsonPropertyName("annotations")]
    [JsonConverter(typeof(SortedAnnotationsConverter))]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The manifest this one refers to (referrers API), when any.</summary>
    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; init; }
}
