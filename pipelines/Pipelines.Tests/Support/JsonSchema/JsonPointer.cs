using System.Text.Json.Nodes;

namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>RFC 6901 JSON pointers: building them while walking an instance and resolving them in a schema.</summary>
internal static class JsonPointer
{
    public static string Append(string pointer, string token) =>
        pointer + "/" + token.Replace("~", "~0").Replace("/", "~1");

    public static string Append(string pointer, int index) => pointer + "/" + index;

    /// <summary>
    /// Resolves <paramref name="pointer"/> (e.g. <c>/definitions/foo</c>, already percent-decoded) under
    /// <paramref name="root"/>; false when a token does not exist.
    /// </summary>
    public static bool TryResolve(JsonNode? root, string pointer, out JsonNode? target)
    {
        target = root;
        if (pointer.Length == 0) return true;
        if (pointer[0] != '/') return false;
        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/").Replace("~0", "~");
            switch (target)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    target = child;
                    break;
                case JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count:
                    target = array[index];
                    break;
                default:
                    target = null;
                    return false;
            }
        }
        return true;
    }
}
