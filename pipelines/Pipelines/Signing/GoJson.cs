using System.Globalization;
using System.Text;

namespace Pipelines.Signing;

/// <summary>
/// Writes JSON strings the way Go's <c>encoding/json</c> does, so that the payloads and manifests we
/// produce are byte-identical to cosign's where cosign is deterministic. System.Text.Json escapes far
/// more (every non-ASCII character, <c>+</c>, <c>'</c>), which would change digests.
/// </summary>
internal static class GoJson
{
    /// <summary>A quoted JSON string: Go escapes <c>&lt; &gt; &amp;</c>, U+2028/U+2029 and control characters.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                case < ' ':
                    builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('"').ToString();
    }

    /// <summary>A string map with keys in byte order, as Go marshals <c>map[string]string</c>; <c>null</c> when empty and <paramref name="nullWhenEmpty"/>.</summary>
    public static string Map(IReadOnlyDictionary<string, string>? map, bool nullWhenEmpty)
    {
        if (map is null || map.Count == 0) return nullWhenEmpty ? "null" : "{}";
        return "{" + string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Quote(p.Key) + ":" + Quote(p.Value))) + "}";
    }
}
