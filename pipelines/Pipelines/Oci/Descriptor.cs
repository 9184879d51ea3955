using System.Text.Json.Serialization;

namespace Pipelines.Oci;

/// <summary>
/// An OCI content descriptor: what a manifest says about a blob or another manifest. Properties are in
/// go-containerregistry's field order so serialized manifests match what cosign and crane write.
/// </summary>
internal sealed record Descriptor
{
    /// <summary>The media type of the referenced content.</summary>
    [JsonPropertyName("mediaType")]
    public required string MediaType { get; init; }

    /// <summary>The size of the referenced content in bytes.</summary>
    [JsonPropertyName("size")]
    public required long Size { get; init; }

    /// <summary>The digest of the referenced content (<c>sha256:…</c>).</summary>
    [JsonPropertyName("digest")]
    public required string Digest { get; init; }

    /// <summary>Annotations, serialized in sorted key order.</summary>
    [JsonPropertyName("annotations")]
    [JsonConverter(typeof(SortedAnnotationsConverter))]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The platform of an index entry.</summary>
    [JsonPropertyName("platform")]
    public Platform? Platform { get; init; }

    /// <summary>The artifact type of a referrer (OCI 1.1).</summary>
    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    /// <summary>A descriptor for <paramref name="content"/> with <paramref name="mediaType"/>.</summary>
    public static Descriptor For(string mediaType, ReadOnlySpan<byte> content, IReadOnlyDictionary<string, string>? annotations = null) =>
        new() { MediaType = mediaType, Size = content.Length, Digest = Oci.Digest.Compute(content), Annotations = annotations };
}
