using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>Keywords that constrain one kind of value: numbers, strings, arrays, objects.</summary>
internal sealed partial class SchemaEvaluator
{
    private static void CheckNumber(JsonObject s, JsonNode? instance, Location at, List<JsonSchemaError> errors)
    {
        if (JsonValues.Kind(instance) != JsonValueKind.Number) return;
        var value = JsonValues.Number(instance!);

        // Draft-04 writes exclusiveMinimum/Maximum as booleans modifying minimum/maximum; draft-06+ as numbers.
        var exclusiveMinimumFlag = IsTrue(s, "exclusiveMinimum");
        var exclusiveMaximumFlag = IsTrue(s, "exclusiveMaximum");
        if (NumberKeyword(s, "minimum") is { } minimum)
        {
            var c = JsonValues.Compare(value, minimum);
            if (c < 0 || (exclusiveMinimumFlag && c == 0))
                errors.Add(Error(at.Schema("minimum"), $"{value} is less than {(exclusiveMinimumFlag ? "or equal to " : "")}the minimum {minimum}"));
        }
        if (NumberKeyword(s, "maximum") is { } maximum)
        {
            var c = JsonValues.Compare(value, maximum);
            if (c > 0 || (exclusiveMaximumFlag && c == 0))
                errors.Add(Error(at.Schema("maximum"), $"{value} is greater than {(exclusiveMaximumFlag ? "or equal to " : "")}the maximum {maximum}"));
        }
        if (NumberKeyword(s, "exclusiveMinimum") is { } exclusiveMinimum && JsonValues.Compare(value, exclusiveMinimum) <= 0)
            errors.Add(Error(at.Schema("exclusiveMinimum"), $"{value} must be greater than {exclusiveMinimum}"));
        if (NumberKeyword(s, "exclusiveMaximum") is { } exclusiveMaximum && JsonValues.Compare(value, exclusiveMaximum) >= 0)
            errors.Add(Error(at.Schema("exclusiveMaximum"), $"{value} must be less than {exclusiveMaximum}"));
        if (NumberKeyword(s, "multipleOf") is { } multipleOf)
        {
            var isMultiple = value.IsExact && multipleOf.IsExact
                ? value.Exact % multipleOf.Exact == 0
                : Math.Abs(Math.IEEERemainder(value.Approximate, multipleOf.Approximate)) < 1e-9;
            if (!isMultiple) errors.Add(Error(at.Schema("multipleOf"), $"{value} is not a multiple of {multipleOf}"));
        }
    }

    private void CheckString(JsonObject s, JsonNode? instance, Location at, List<JsonSchemaError> errors)
    {
        if (JsonValues.Kind(instance) != JsonValueKind.String) return;
        var text = instance!.GetValue<string>();
        // Lengths count Unicode code points, not UTF-16 units.
        var length = text.EnumerateRunes().Count();
        if (IntKeyword(s, "minLength") is { } minLength && length < minLength)
            errors.Add(Error(at.Schema("minLength"), $"string of length {length} is shorter than {minLength}"));
        if (IntKeyword(s, "maxLength") is { } maxLength && length > maxLength)
            errors.Add(Error(at.Schema("maxLength"), $"string of length {length} is longer than {maxLength}"));
        if (s["pattern"] is JsonValue pattern && !Pattern(pattern.GetValue<string>()).IsMatch(text))
            errors.Add(Error(at.Schema("pattern"), $"{Show(instance)} does not match the pattern {pattern.GetValue<string>()}"));
    }

    private void CheckArray(JsonObject s, JsonNode? instance, Location at, List<JsonSchemaError> errors)
    {
        if (instance is not JsonArray array) return;
        if (IntKeyword(s, "minItems") is { } minItems && array.Count < minItems)
            errors.Add(Error(at.Schema("minItems"), $"has {array.Count} items, fewer than the minimum {minItems}"));
        if (IntKeyword(s, "maxItems") is { } maxItems && array.Count > maxItems)
            errors.Add(Error(at.Schema("maxItems"), $"has {array.Count} items, more than the maximum {maxItems}"));
        if (IsTrue(s, "uniqueItems"))
        {
            for (var i = 0; i < array.Count; i++)
            for (var j = i + 1; j < array.Count; j++)
                if (JsonValues.DeepEquals(array[i], array[j]))
                    errors.Add(Error(at.Schema("uniqueItems"), $"items {i} and {j} are equal; items must be unique"));
        }

        if (s.TryGetPropertyValue("items", out var items))
        {
            if (items is JsonArray tuple)
            {
                for (var i = 0; i < array.Count && i < tuple.Count; i++)
                    Evaluate(tuple[i], array[i], at.Schema("items", i).Item(i), errors);
                if (s.TryGetPropertyValue("additionalItems", out var additional))
                    for (var i = tuple.Count; i < array.Count; i++)
                        Evaluate(additional, array[i], at.Schema("additionalItems").Item(i), errors);
            }
            else
            {
                for (var i = 0; i < array.Count; i++)
                    Evaluate(items, array[i], at.Schema("items").Item(i), errors);
            }
        }

        if (s.TryGetPropertyValue("contains", out var contains))
        {
            var any = false;
            for (var i = 0; i < array.Count && !any; i++)
            {
                var inner = new List<JsonSchemaError>();
                Evaluate(contains, array[i], at.Schema("contains").Item(i), inner);
                any = inner.Count == 0;
            }
            if (!any) errors.Add(Error(at.Schema("contains"), "no item matches the 'contains' schema"));
        }
    }

    private void CheckObject(JsonObject s, JsonNode? instance, Location at, List<JsonSchemaError> errors)
    {
        if (instance is not JsonObject obj) return;

        if (s["required"] is JsonArray required)
            foreach (var name in required.Select(r => r!.GetValue<string>()))
                if (!obj.ContainsKey(name))
                    errors.Add(Error(at.Schema("required"), $"required property '{name}' is missing"));
        if (IntKeyword(s, "minProperties") is { } minProperties && obj.Count < minProperties)
            errors.Add(Error(at.Schema("minProperties"), $"has {obj.Count} properties, fewer than the minimum {minProperties}"));
        if (IntKeyword(s, "maxProperties") is { } maxProperties && obj.Count > maxProperties)
            errors.Add(Error(at.Schema("maxProperties"), $"has {obj.Count} properties, more than the maximum {maxProperties}"));

        var properties = s["properties"] as JsonObject;
        var patternProperties = s["patternProperties"] as JsonObject;
        s.TryGetPropertyValue("additionalProperties", out var additionalProperties);
        // Kubernetes structural schemas: unknown fields are kept, so additionalProperties: false does not apply.
        if (IsTrue(s, "x-kubernetes-preserve-unknown-fields")) additionalProperties = null;

        foreach (var (name, value) in obj.ToList())
        {
            var matched = false;
            if (properties is not null && properties.TryGetPropertyValue(name, out var propertySchema))
            {
                matched = true;
                Evaluate(propertySchema, value, at.Schema("properties", name).Property(name), errors);
            }
            if (patternProperties is not null)
            {
                foreach (var (pattern, patternSchema) in patternProperties)
                {
                    if (!Pattern(pattern).IsMatch(name)) continue;
                    matched = true;
                    Evaluate(patternSchema, value, at.Schema("patternProperties", pattern).Property(name), errors);
                }
            }
            if (matched || additionalProperties is null) continue;
            if (JsonValues.Kind(additionalProperties) == JsonValueKind.False)
                errors.Add(Error(at.Property(name).Schema("additionalProperties"), $"property '{name}' is not allowed here"));
            else
                Evaluate(additionalProperties, value, at.Schema("additionalProperties").Property(name), errors);
        }

        if (s["propertyNames"] is { } propertyNames)
            foreach (var name in obj.Select(p => p.Key).ToList())
                Evaluate(propertyNames, JsonValue.Create(name), at.Schema("propertyNames").Property(name), errors);

        CheckDependencies(s, obj, at, errors);
    }

    private void CheckDependencies(JsonObject s, JsonObject obj, Location at, List<JsonSchemaError> errors)
    {
        // draft-04..07 "dependencies" mixes both forms; 2019-09 split them into dependentRequired/dependentSchemas.
        foreach (var keyword in new[] { "dependencies", "dependentRequired", "dependentSchemas" })
        {
            if (s[keyword] is not JsonObject dependencies) continue;
            foreach (var (trigger, dependency) in dependencies)
            {
                if (!obj.ContainsKey(trigger)) continue;
                if (dependency is JsonArray names)
                {
                    foreach (var name in names.Select(n => n!.GetValue<string>()))
                        if (!obj.ContainsKey(name))
                            errors.Add(Error(at.Schema(keyword, trigger), $"property '{name}' is required when '{trigger}' is present"));
                }
                else
                {
                    Evaluate(dependency, obj, at.Schema(keyword, trigger), errors);
                }
            }
        }
    }

    private static JsonNumber? NumberKeyword(JsonObject s, string keyword) =>
        s[keyword] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? JsonValues.Number(value) : null;

    private static long? IntKeyword(JsonObject s, string keyword) =>
        NumberKeyword(s, keyword) is { } number ? (long)number.Approximate : null;
}
