using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>JSON value semantics the schema keywords need: type names, numbers by value, deep equality.</summary>
internal static class JsonValues
{
    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>The JSON Schema type names an instance belongs to ("integer" values are also "number").</summary>
    public static bool IsOfType(JsonNode? node, string type) => type switch
    {
        "null" => Kind(node) == JsonValueKind.Null,
        "boolean" => Kind(node) is JsonValueKind.True or JsonValueKind.False,
        "object" => Kind(node) == JsonValueKind.Object,
        "array" => Kind(node) == JsonValueKind.Array,
        "string" => Kind(node) == JsonValueKind.String,
        "number" => Kind(node) == JsonValueKind.Number,
        // Since draft-06 an integer is any number with no fractional part, so 1.0 counts.
        "integer" => Kind(node) == JsonValueKind.Number && IsInteger(Number(node!)),
        _ => false,
    };

    /// <summary>The type name used in messages: the most specific one.</summary>
    public static string TypeName(JsonNode? node) => Kind(node) switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "null",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        _ => IsInteger(Number(node!)) ? "integer" : "number",
    };

    /// <summary>
    /// A number read from its JSON text, as decimal when it fits (exact for the values manifests hold) and as
    /// double otherwise. Reading the text avoids depending on which CLR type a <see cref="JsonValue"/> wraps.
    /// </summary>
    public static JsonNumber Number(JsonNode node)
    {
        var text = node.ToJsonString();
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)) return new JsonNumber(exact, (double)exact, true);
        return new JsonNumber(0, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), false);
    }

    public static bool IsInteger(JsonNumber number) =>
        number.IsExact ? decimal.Truncate(number.Exact) == number.Exact : Math.Floor(number.Approximate) == number.Approximate && !double.IsInfinity(number.Approximate);

    public static int Compare(JsonNumber left, JsonNumber right) =>
        left.IsExact && right.IsExact ? left.Exact.CompareTo(right.Exact) : left.Approximate.CompareTo(right.Approximate);

    /// <summary>Structural equality as JSON Schema defines it for <c>enum</c>, <c>const</c> and <c>uniqueItems</c>: 1 equals 1.0, key order is irrelevant.</summary>
    public static bool DeepEquals(JsonNode? left, JsonNode? right)
    {
        var kind = Kind(left);
        if (kind != Kind(right)) return false;
        switch (kind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.String:
                return left!.GetValue<string>() == right!.GetValue<string>();
            case JsonValueKind.Number:
                return Compare(Number(left!), Number(right!)) == 0;
            case JsonValueKind.Array:
            {
                var a = left!.AsArray();
                var b = right!.AsArray();
                if (a.Count != b.Count) return false;
                for (var i = 0; i < a.Count; i++)
                    if (!DeepEquals(a[i], b[i])) return false;
                return true;
            }
            case JsonValueKind.Object:
            {
                var a = left!.AsObject();
                var b = right!.AsObject();
                if (a.Count != b.Count) return false;
                foreach (var (key, value) in a)
                    if (!b.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other)) return false;
                return true;
            }
            default:
                return false;
        }
    }
}

/// <summary>A JSON number: exact when it fits a decimal, approximate otherwise.</summary>
internal readonly record struct JsonNumber(decimal Exact, double Approximate, bool IsExact)
{
    public override string ToString() => IsExact ? Exact.ToString(CultureInfo.InvariantCulture) : Approximate.ToString("R", CultureInfo.InvariantCulture);
}
