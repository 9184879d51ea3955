using System.Text.Json.Serialization;

namespace Pipelines.Oci;

/// <summary>An image index or Docker manifest list; also the shape of a referrers list.</summary>
internal sealed record OciIndex
{
    /// <summary>Always 2 in an OCI index or Docker manifest list.</summary>
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    /// <summary>Tells registries which kind of index this is; null in old lists that leave it out.</summary>
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; } = MediaTypes.OciIndex;

    /// <summary>Set when the index is itself an artifact (a referrers list's kind); null for images.</summary>
    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    /// <summary>The per-platform manifests or the referring artifacts.</summary>
    [JsonPropertyName("manifests")]
    public IReadOnlyList<Descriptor> Manifests { get; init; } = [];

    /// <summary>Key/value metadata, written in sorted key order so the bytes (and the digest) are stable.</summary>
    [JsonPropertyName("annotations")]
    [JsonConverter(typeof(SortedAnnotationsConverter))]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The manifest this index refers to, when it is a referrer; null otherwise.</summary>
    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; init; }
}
