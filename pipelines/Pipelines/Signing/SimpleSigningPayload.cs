using System.Text;
using System.Text.Json;

namespace Pipelines.Signing;

/// <summary>
/// The "simple signing" payload cosign signs for an image: which repository, which manifest digest,
/// and optional annotations (<c>cosign sign -a key=value</c>).
/// </summary>
/// <param name="DockerReference">The repository with its registry, without tag or digest (<c>127.0.0.1:5000/shortlink</c>).</param>
/// <param name="ManifestDigest">The signed manifest's digest, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="Annotations">The <c>optional</c> map; <c>null</c> or empty writes <c>"optional":null</c> like cosign.</param>
internal sealed record SimpleSigningPayload(
    string DockerReference,
    string ManifestDigest,
    IReadOnlyDictionary<string, string>? Annotations = null)
{
    /// <summary>The <c>critical.type</c> every cosign signature payload carries.</summary>
    public const string SignatureType = "cosign container image signature";

    /// <summary>The layer media type of a signature in a <c>.sig</c> manifest.</summary>
    public const string MediaType = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>The exact bytes cosign writes: compact, struct field order, no trailing newline.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(
        "{\"critical\":{\"identity\":{\"docker-reference\":" + GoJson.Quote(DockerReference) + "}," +
        "\"image\":{\"docker-manifest-digest\":" + GoJson.Quote(ManifestDigest) + "}," +
        "\"type\":" + GoJson.Quote(SignatureType) + "}," +
        "\"optional\":" + GoJson.Map(Annotations, nullWhenEmpty: true) + "}");

    /// <summary>Reads a payload by field names; the <c>type</c> is returned, not checked, so that a verifier can say what was wrong.</summary>
    /// <exception cref="FormatException">The bytes are not a simple-signing payload.</exception>
    public static (SimpleSigningPayload Payload, string? Type) Parse(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var critical = document.RootElement.GetProperty("critical");
            var reference = critical.TryGetProperty("identity", out var identity) && identity.TryGetProperty("docker-reference", out var r)
                ? r.GetString() ?? "" : "";
            var digest = critical.GetProperty("image").GetProperty("docker-manifest-digest").GetString()
                ?? throw new FormatException("docker-manifest-digest is null");
            var type = critical.TryGetProperty("type", out var t) ? t.GetString() : null;
            Dictionary<string, string>? optional = null;
            if (document.RootElement.TryGetProperty("optional", out var o) && o.ValueKind == JsonValueKind.Object)
                optional = o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
            return (new SimpleSigningPayload(reference, digest, optional), type);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"not a simple-signing payload: {e.Message}", e);
        }
    }
}
