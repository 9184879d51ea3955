using System.Globalization;
using System.Text.Json;

namespace Pipelines.TektonLocal;

/// <summary>
/// Tekton's three value types (string, array, object) as the flat names <c>$(…)</c> substitution reads: an array
/// <c>a</c> offers <c>a[i]</c> and <c>a[*]</c>, an object <c>o</c> offers <c>o.key</c> and <c>o[*]</c>; a whole
/// value (<c>[*]</c>) travels as JSON and becomes a list or map again where it stands alone (<see cref="Expand"/>).
/// </summary>
internal static class TektonValues
{
    /// <summary>Adds the names <paramref name="value"/> offers under <paramref name="name"/>.</summary>
    public static void Add(IDictionary<string, string> values, string name, object? value)
    {
        switch (value)
        {
            case IList<object?> list:
                var items = list.Select(Text).ToList();
                values[$"{name}[*]"] = JsonSerializer.Serialize(items);
                for (var i = 0; i < items.Count; i++) values[$"{name}[{i}]"] = items[i];
                break;
            case IDictionary<object, object?> or IReadOnlyDictionary<string, object?>:
                var map = Yaml.Map(value).ToDictionary(p => p.Key, p => Text(p.Value));
                values[$"{name}[*]"] = JsonSerializer.Serialize(map);
                foreach (var (key, item) in map) values[$"{name}.{key}"] = item;
                break;
            default:
                values[name] = Text(value);
                break;
        }
    }

    /// <summary>A result file as its declared type reads it: JSON for array and object results, the text for a string.</summary>
    public static object? Parse(string text, string? type)
    {
        try
        {
            return type switch
            {
                "array" => JsonSerializer.Deserialize<List<string>>(text)?.Cast<object?>().ToList(),
                "object" => JsonSerializer.Deserialize<Dictionary<string, string>>(text)?.ToDictionary(p => (object)p.Key, p => (object?)p.Value),
                _ => text,
            };
        }
        catch (JsonException)
        {
            return text; // not JSON: a string, as Tekton keeps it
        }
    }

    /// <summary>
    /// A text that is exactly one whole-value reference becomes the list or map it names: <c>$(params.a[*])</c>, or the
    /// bare <c>$(params.a)</c> of an array or object, which Tekton expands alike (substitution.go ApplyArrayReplacements
    /// matches both spellings; ParamValue.applyOrCorrect turns either into the array or object). Anything else is text.
    /// </summary>
    public static object? Expand(string text, IReadOnlyDictionary<string, string> values)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("$(", StringComparison.Ordinal) && trimmed.EndsWith(')')
            && trimmed.IndexOf("$(", 2, StringComparison.Ordinal) < 0
            && WholeValue(TektonVariables.Normalize(trimmed[2..^1]), values) is { } json)
        {
            if (json.StartsWith('[')) return JsonSerializer.Deserialize<List<string>>(json)!.Cast<object?>().ToList();
            if (json.StartsWith('{')) return JsonSerializer.Deserialize<Dictionary<string, string>>(json)!.ToDictionary(p => (object)p.Key, p => (object?)p.Value);
        }
        return TektonVariables.Apply(text, values);
    }

    /// <summary>The JSON of the whole value a name refers to (<c>a[*]</c> itself, or <c>a</c> when it is an array or object), or null.</summary>
    private static string? WholeValue(string name, IReadOnlyDictionary<string, string> values) =>
        name.EndsWith("[*]", StringComparison.Ordinal) ? values.GetValueOrDefault(name)
            : values.ContainsKey(name) ? null : values.GetValueOrDefault($"{name}[*]");

    /// <summary>Every string in a YAML subtree (to find the references it makes).</summary>
    public static IEnumerable<string> Strings(object? node) => node switch
    {
        string text => [text],
        IList<object?> list => list.SelectMany(Strings),
        IDictionary<object, object?> or IReadOnlyDictionary<string, object?> => Yaml.Map(node).Values.SelectMany(Strings),
        null => [],
        _ => [Convert.ToString(node, CultureInfo.InvariantCulture) ?? ""],
    };

    private static string Text(object? value) => value switch
    {
        null => "",
        string text => text,
        IList<object?> or IDictionary<object, object?> => JsonSerializer.Serialize(value),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
