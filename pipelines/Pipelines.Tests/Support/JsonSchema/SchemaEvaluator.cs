using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>
/// Applies draft-04/06/07 keywords (plus the Kubernetes OpenAPI extensions CRD schemas carry) to an
/// instance and collects every failure. Split by concern: this file holds dispatch, types, references and
/// combinators; <c>SchemaEvaluator.Values.cs</c> the number/string/array/object keywords.
/// </summary>
internal sealed partial class SchemaEvaluator
{
    // A $ref cycle that never moves into the instance would otherwise recurse forever.
    private const int MaxDepth = 256;

    private readonly SchemaRegistry _registry;
    private readonly ConcurrentDictionary<string, Regex> _patterns = new();

    public SchemaEvaluator(SchemaRegistry registry) => _registry = registry;

    /// <summary>Where evaluation stands: the schema's base URI and the two pointers errors report.</summary>
    private readonly record struct Location(Uri BaseUri, string InstancePath, string SchemaPath, int Depth)
    {
        public Location Schema(string keyword) => this with { SchemaPath = JsonPointer.Append(SchemaPath, keyword) };
        public Location Schema(string keyword, string child) => Schema(keyword) with { SchemaPath = JsonPointer.Append(JsonPointer.Append(SchemaPath, keyword), child) };
        public Location Schema(string keyword, int index) => this with { SchemaPath = JsonPointer.Append(JsonPointer.Append(SchemaPath, keyword), index) };
        public Location Property(string name) => this with { InstancePath = JsonPointer.Append(InstancePath, name) };
        public Location Item(int index) => this with { InstancePath = JsonPointer.Append(InstancePath, index) };
    }

    public void Evaluate(JsonNode? schema, Uri baseUri, string schemaPath, JsonNode? instance, List<JsonSchemaError> errors) =>
        Evaluate(schema, instance, new Location(baseUri, "", schemaPath, 0), errors);

    private void Evaluate(JsonNode? schema, JsonNode? instance, Location at, List<JsonSchemaError> errors)
    {
        if (at.Depth > MaxDepth)
        {
            errors.Add(Error(at, "schema references recurse too deeply (a $ref cycle?)"));
            return;
        }
        at = at with { Depth = at.Depth + 1 };

        switch (JsonValues.Kind(schema))
        {
            case JsonValueKind.True:
                return;
            case JsonValueKind.False:
                errors.Add(Error(at, "no value is allowed here (schema is false)"));
                return;
            case JsonValueKind.Object:
                break;
            default:
                throw new InvalidDataException($"Schema at '{at.SchemaPath}' is neither an object nor a boolean.");
        }

        var s = schema!.AsObject();
        if (SchemaRegistry.IdOf(s) is { } id) at = at with { BaseUri = new Uri(at.BaseUri, id) };

        // Up to draft-07, $ref replaces every sibling keyword.
        if (s["$ref"] is JsonValue refValue && refValue.GetValueKind() == JsonValueKind.String)
        {
            var reference = new Uri(at.BaseUri, refValue.GetValue<string>());
            var (target, targetBase) = _registry.Resolve(reference);
            var fragment = reference.Fragment.TrimStart('#');
            Evaluate(target, instance, at with { BaseUri = targetBase, SchemaPath = Uri.UnescapeDataString(fragment) }, errors);
            return;
        }

        // OpenAPI (CRD) extension: null is acceptable wherever the schema says nullable.
        if (IsTrue(s, "nullable") && JsonValues.Kind(instance) == JsonValueKind.Null) return;

        CheckType(s, instance, at, errors);
        CheckEnumAndConst(s, instance, at, errors);
        CheckNumber(s, instance, at, errors);
        CheckString(s, instance, at, errors);
        CheckArray(s, instance, at, errors);
        CheckObject(s, instance, at, errors);
        CheckCombinators(s, instance, at, errors);
        // "format" is an annotation by default (draft 2019+ made that explicit); the schemas here use it for
        // int32/date-time hints the Kubernetes API server itself does not enforce on input, so it is not checked.
    }

    private void CheckType(JsonObject s, JsonNode? instance, Location at, List<JsonSchemaError> errors)
    {
        if (IsTrue(s, "x-kubernetes-int-or-string"))
        {
            if (!JsonValues.IsOfType(instance, "integer") && !JsonValues.IsOfType(instance, "string"))
                errors.Add(Error(at.Schema("x-kubernetes-int-or-string"), $"expected integer or string, found {JsonValues.TypeName(instance)}"));
            return;
        }
        if (!s.TryGetPropertyValue("type", out var type)) return;
        var names = type is JsonArray array ? array.Select(t => t!.GetValue<string>()).ToArray() : [type!.GetValue<string>()];
        if (!names.Any(name => JsonValues.IsOfType(instance, name)))
            errors.Add(Error(at.Schema("type"), $"expected {string.Join(" or ", names)}, found {JsonValues.TypeName(instance)}"));
    }

    private static void CheckEnumAndConst(JsonObject s, JsonNode? instance, Location at, List<JsonSchemaError> errors)
    {
        if (s["enum"] is JsonArray options && !options.Any(option => JsonValues.DeepEquals(option, instance)))
        {
            var shown = string.Join(", ", options.Take(10).Select(o => o?.ToJsonString() ?? "null")) + (options.Count > 10 ? $", … ({options.Count} values)" : "");
            errors.Add(Error(at.Schema("enum"), $"{Show(instance)} is not one of {shown}"));
        }
        if (s.TryGetPropertyValue("const", out var constant) && !JsonValues.DeepEquals(constant, instance))
            errors.Add(Error(at.Schema("const"), $"{Show(instance)} is not the required value {constant?.ToJsonString() ?? "null"}"));
    }

    private void CheckCombinators(JsonObject s, JsonNode? instance, Location at, List<JsonSchemaError> errors)
    {
        if (s["allOf"] is JsonArray allOf)
            for (var i = 0; i < allOf.Count; i++)
                Evaluate(allOf[i], instance, at.Schema("allOf", i), errors);

        if (s["anyOf"] is JsonArray anyOf)
        {
            var branches = EvaluateBranches(anyOf, instance, at, "anyOf");
            if (!branches.Any(b => b.Count == 0))
                errors.Add(Error(at.Schema("anyOf"), $"matches none of the {anyOf.Count} anyOf alternatives{Closest(branches)}"));
        }

        if (s["oneOf"] is JsonArray oneOf)
        {
            var branches = EvaluateBranches(oneOf, instance, at, "oneOf");
            var matching = branches.Count(b => b.Count == 0);
            if (matching == 0)
                errors.Add(Error(at.Schema("oneOf"), $"matches none of the {oneOf.Count} oneOf alternatives{Closest(branches)}"));
            else if (matching > 1)
                errors.Add(Error(at.Schema("oneOf"), $"matches {matching} of the oneOf alternatives; exactly one must match"));
        }

        if (s.TryGetPropertyValue("not", out var not))
        {
            var inner = new List<JsonSchemaError>();
            Evaluate(not, instance, at.Schema("not"), inner);
            if (inner.Count == 0) errors.Add(Error(at.Schema("not"), $"{Show(instance)} matches a schema it must not match"));
        }

        if (s.TryGetPropertyValue("if", out var condition))
        {
            var inner = new List<JsonSchemaError>();
            Evaluate(condition, instance, at.Schema("if"), inner);
            var branch = inner.Count == 0 ? "then" : "else";
            if (s.TryGetPropertyValue(branch, out var consequence))
                Evaluate(consequence, instance, at.Schema(branch), errors);
        }
    }

    private List<List<JsonSchemaError>> EvaluateBranches(JsonArray alternatives, JsonNode? instance, Location at, string keyword)
    {
        var results = new List<List<JsonSchemaError>>(alternatives.Count);
        for (var i = 0; i < alternatives.Count; i++)
        {
            var inner = new List<JsonSchemaError>();
            Evaluate(alternatives[i], instance, at.Schema(keyword, i), inner);
            results.Add(inner);
        }
        return results;
    }

    // The alternative that came closest usually names the real mistake (a misspelled key, a wrong type).
    private static string Closest(List<List<JsonSchemaError>> branches)
    {
        var best = branches.Where(b => b.Count > 0).OrderBy(b => b.Count).FirstOrDefault();
        return best is null ? "" : $" (closest: {best[0]})";
    }

    private Regex Pattern(string pattern) =>
        _patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2)));

    private static bool IsTrue(JsonObject s, string keyword) =>
        s[keyword] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    private static JsonSchemaError Error(Location at, string message) => new(at.InstancePath, at.SchemaPath, message);

    private static string Show(JsonNode? instance)
    {
        var text = instance?.ToJsonString() ?? "null";
        return text.Length > 60 ? text[..57] + "..." : text;
    }
}
