using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipelines.Oci;

/// <summary>
/// JSON for manifests and indexes written like Go's <c>encoding/json</c> as used by registries and cosign:
/// compact, declared field order, null fields omitted, map keys sorted, and '+' or '/' left unescaped
/// (base64 signatures in annotations must appear as cosign writes them).
/// </summary>
internal static class OciJson
{
    /// <summary>The serializer options used for every manifest, index and descriptor.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
        PropertyNameCaseInsensitive = false,
    };

    /// <summary>The bytes of <paramref name="value"/>, ready to PUT.</summary>
    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Parses <paramref name="content"/>; malformed JSON is a <see cref="PipelineException"/> naming <paramref name="what"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> content, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(content, Options)
                   ?? throw new PipelineException($"{what} is empty (JSON null).");
        }
        catch (JsonException e)
        {
            throw new PipelineException($"{what} is not valid JSON for {typeof(T).Name}: {e.Message}", e);
        }
    }
}
