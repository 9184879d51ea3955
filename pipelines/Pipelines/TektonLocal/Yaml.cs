using System.Globalization;

namespace Pipelines.TektonLocal;

/// <summary>Reads the untyped trees YamlDotNet produces (maps, lists, scalars) without casting at every call.</summary>
internal static class Yaml
{
    public static IReadOnlyDictionary<string, object?> Map(object? node, string key) =>
        Map(node) is { } map && map.TryGetValue(key, out var value) ? Map(value) : Empty;

    public static IReadOnlyDictionary<string, object?> Map(object? node) => node switch
    {
        IDictionary<object, object?> map => map.ToDictionary(p => Convert.ToString(p.Key, CultureInfo.InvariantCulture)!, p => p.Value),
        IReadOnlyDictionary<string, object?> map => map,
        _ => Empty,
    };

    public static IReadOnlyList<object?> List(object? node, string key) =>
        Map(node).TryGetValue(key, out var value) && value is IList<object?> list ? list.ToList() : [];

    public static IReadOnlyList<string> Strings(object? node, string key) =>
        List(node, key).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToList();

    public static string? String(object? node, string key) =>
        Map(node).TryGetValue(key, out var value) && value is not null and not IDictionary<object, object?> and not IList<object?>
            ? Convert.ToString(value, CultureInfo.InvariantCulture)
            : null;

    public static bool Has(object? node, string key) => Map(node).ContainsKey(key);

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();
}
