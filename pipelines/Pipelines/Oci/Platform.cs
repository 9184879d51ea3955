using System.Text.Json.Serialization;

namespace Pipelines.Oci;

/// <summary>The platform an index entry targets.</summary>
internal sealed record Platform
{
    /// <summary>CPU architecture (<c>amd64</c>, <c>arm64</c>).</summary>
    [JsonPropertyName("architecture")]
    public required string Architecture { get; init; }

    /// <summary>Operating system (<c>linux</c>).</summary>
    [JsonPropertyName("os")]
    public required string Os { get; init; }

    /// <summary>CPU variant (<c>v8</c>), when any.</summary>
    [JsonPropertyName("variant")]
    public string? Variant { get; init; }
}
