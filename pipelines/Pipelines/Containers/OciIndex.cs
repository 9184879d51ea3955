using System.Text.Json.Serialization;

namespace Pipelines.Containers;

/// <summary>An image index or Docker manifest list; also the shape of a referrers list.</summary>
public sealed record OciIndex
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; } = MediaTypes.OciIndex;

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("manifests")]
    public IReadOnlyList<Descriptor> Manifests { get; init; } = [];

    [JsonPropertyName("annotations")]
    [JsonConverter(typeof(SortedAnnotationsConverter))]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; init; }
}
