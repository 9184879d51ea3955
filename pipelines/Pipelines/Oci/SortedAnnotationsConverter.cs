using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipelines.Oci;

/// <summary>Writes annotation maps with keys in ordinal order, as Go sorts map keys.</summary>
internal sealed class SortedAnnotationsConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    /// <summary>Reads annotations as written; order does not matter on the way in.</summary>
    public override IReadOnlyDictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(ref reader, options);

    /// <summary>Writes annotations in ordinal key order so equal maps serialize to equal bytes.</summary>
    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, text) in value.OrderBy(p => p.Key, StringComparer.Ordinal))
            writer.WriteString(key, text);
        writer.WriteEndObject();
    }
}
