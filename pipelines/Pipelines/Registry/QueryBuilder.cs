using System.Text;
using System.Text.Json;

namespace Pipelines.Registry;

/// <summary>A URL query string built from optional and repeated parameters, every value escaped.</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder _query = new();

    public QueryBuilder Add(string name, string? value)
    {
        if (value is null) return this;
        _query.Append(_query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryBuilder Add(string name, IEnumerable<string> values)
    {
        foreach (var value in values) Add(name, value);
        return this;
    }

    /// <summary>A map as the JSON object the Engine API expects (<c>buildargs</c>, <c>labels</c>); nothing when empty.</summary>
    public QueryBuilder AddJson(string name, IReadOnlyDictionary<string, string> values) =>
        values.Count == 0 ? this : Add(name, JsonSerializer.Serialize(values));

    public override string ToString() => _query.ToString();
}
