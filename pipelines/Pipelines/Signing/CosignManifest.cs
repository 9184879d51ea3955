using System.Text;
using System.Text.Json;
using Pipelines.Oci;

namespace Pipelines.Signing;

/// <summary>
/// The OCI manifest cosign keeps at <c>sha256-&lt;hex&gt;.sig</c> / <c>.att</c>: a synthetic config and one
/// layer per signature or attestation. Rendering reproduces cosign's bytes exactly (see the wire trace
/// in <c>shared/vectors/cosign/wire-trace-v1.13.1</c>).
/// </summary>
internal sealed record CosignManifest(IReadOnlyList<CosignLayer> Layers)
{
    /// <summary>The manifest media type cosign uses by default.</summary>
    public const string MediaType = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>The config media type cosign uses by default.</summary>
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";

    /// <summary>Cosign refuses to grow a signature manifest past this many layers.</summary>
    public const int MaxLayers = 1000;

    /// <summary>An empty manifest, for a digest with no signatures yet.</summary>
    public static CosignManifest Empty { get; } = new([]);

    /// <summary>The tag for a digest: <c>sha256:abc</c> → <c>sha256-abc.sig</c> (or <c>.att</c>).</summary>
    public static string TagFor(string imageDigest, string suffix) =>
        Digest.Validate(imageDigest, "The image digest").Replace(':', '-') + "." + suffix;

    /// <summary>The manifest with a layer appended.</summary>
    public CosignManifest Append(CosignLayer layer)
    {
        if (Layers.Count >= MaxLayers)
            throw new PipelineException($"The signature manifest already holds {Layers.Count} layers, cosign's limit; remove old signatures before adding more.");
        return new CosignManifest([.. Layers, layer]);
    }

    /// <summary>
    /// The config blob as go-containerregistry marshals it for cosign's empty image plus layers:
    /// zero times (cosign's default without <c>--record-creation-timestamp</c>), one history entry
    /// and one diff_id per layer.
    /// </summary>
    public byte[] RenderConfig()
    {
        var history = string.Join(",", Layers.Select(_ => "{\"created\":\"0001-01-01T00:00:00Z\"}"));
        var diffIds = string.Join(",", Layers.Select(l => GoJson.Quote(l.Digest)));
        return Encoding.UTF8.GetBytes(
            "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[" + history + "],\"os\":\"\"," +
            "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]},\"config\":{}}");
    }

    /// <summary>The manifest bytes for a config blob: compact, in go-containerregistry's field order.</summary>
    public byte[] RenderManifest(byte[] config)
    {
        var layers = string.Join(",", Layers.Select(l =>
            "{\"mediaType\":" + GoJson.Quote(l.MediaType) + ",\"size\":" + l.Size + ",\"digest\":" + GoJson.Quote(l.Digest) +
            (l.Annotations.Count == 0 ? "" : ",\"annotations\":" + GoJson.Map(l.Annotations, nullWhenEmpty: false)) + "}"));
        return Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":" + GoJson.Quote(MediaType) + "," +
            "\"config\":{\"mediaType\":" + GoJson.Quote(ConfigMediaType) + ",\"size\":" + config.Length + ",\"digest\":" + GoJson.Quote(Digest.Compute(config)) + "}," +
            "\"layers\":[" + layers + "]}");
    }

    /// <summary>Reads the layers of a signature manifest; other fields are regenerated on write.</summary>
    /// <exception cref="FormatException">Not an image manifest.</exception>
    public static CosignManifest Parse(byte[] manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(manifest);
            if (!document.RootElement.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
                return Empty;
            return new CosignManifest(layers.EnumerateArray().Select(l => new CosignLayer(
                l.GetProperty("mediaType").GetString() ?? "",
                l.GetProperty("size").GetInt64(),
                l.GetProperty("digest").GetString() ?? "",
                l.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object
                    ? a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
                    : new Dictionary<string, string>())).ToList());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"not an image manifest: {e.Message}", e);
        }
    }
}
