using System.Collections;

namespace Pipelines.Generators;

/// <summary>
/// An ordered YAML mapping for generated files: keys keep the order they were added in, so the
/// output reads like a hand-written manifest and is stable byte for byte. A null value drops the key,
/// which keeps optional fields out of the output without an <c>if</c> around each one.
/// Values are strings, booleans, integers, <see cref="YamlMap"/>s, <see cref="CommentedValue"/>s or
/// sequences of those.
/// </summary>
internal sealed class YamlMap : IEnumerable<KeyValuePair<string, object>>
{
    private readonly List<KeyValuePair<string, object>> _entries = [];

    /// <summary>Sets a key (replacing it in place when present); a null value removes it.</summary>
    public object? this[string key]
    {
        get => _entries.FirstOrDefault(e => e.Key == key).Value;
        set
        {
            var index = _entries.FindIndex(e => e.Key == key);
            if (value is null)
            {
                if (index >= 0) _entries.RemoveAt(index);
                return;
            }
            if (index >= 0) _entries[index] = new(key, value);
            else _entries.Add(new(key, value));
        }
    }

    /// <summary>For collection initializers: <c>new YamlMap { { "name", "x" } }</c>.</summary>
    public void Add(string key, object? value) => this[key] = value;

    /// <summary>How many keys the mapping holds.</summary>
    public int Count => _entries.Count;

    /// <summary>Enumerates the entries in the order they were added, which is the order they are written.</summary>
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The same document as JSON, for an API call (a PipelineRun created from the code that writes triggers.yaml).</summary>
    public System.Text.Json.Nodes.JsonObject ToJson()
    {
        var json = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, value) in _entries) json[key] = ToJson(value);
        return json;
    }

    private static System.Text.Json.Nodes.JsonNode? ToJson(object value) => value switch
    {
        YamlMap map => map.ToJson(),
        CommentedValue commented => commented.Value,
        string text => text,
        bool flag => flag,
        int number => number,
        long number => number,
        IEnumerable items => new System.Text.Json.Nodes.JsonArray(items.Cast<object>().Select(ToJson).ToArray()),
        _ => throw new InvalidOperationException($"A YamlMap value of type {value.GetType().Name} has no JSON form."),
    };
}
