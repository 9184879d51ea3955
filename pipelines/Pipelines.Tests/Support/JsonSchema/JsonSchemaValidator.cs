using System.Text.Json.Nodes;

namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>
/// A JSON Schema validator over <see cref="System.Text.Json.Nodes"/> (JsonSchema.Net cannot be restored here).
/// It implements the draft-04/06/07 validation keywords the schemas in <c>../shared/schemas</c> use — type
/// (arrays of types; integer is a number without fraction), properties, required, additionalProperties,
/// patternProperties, propertyNames, min/maxProperties, items (schema or tuple), additionalItems, contains,
/// min/maxItems, uniqueItems, enum, const, min/maxLength, pattern, minimum/maximum and both spellings of
/// exclusiveMinimum/Maximum, multipleOf, allOf/anyOf/oneOf/not, if/then/else, dependencies,
/// dependentRequired/dependentSchemas, and $ref (local pointers, relative files, <c>$id</c>/<c>id</c> bases) —
/// plus the Kubernetes extensions <c>nullable</c>, <c>x-kubernetes-int-or-string</c> and
/// <c>x-kubernetes-preserve-unknown-fields</c>. <c>format</c> is treated as an annotation and not checked.
/// </summary>
public sealed class JsonSchemaValidator
{
    private readonly SchemaRegistry _registry;
    private readonly SchemaEvaluator _evaluator;
    private readonly JsonNode? _schema;
    private readonly Uri _baseUri;
    private readonly string _schemaPath;

    private JsonSchemaValidator(SchemaRegistry registry, SchemaEvaluator evaluator, JsonNode? schema, Uri baseUri, string schemaPath)
    {
        _registry = registry;
        _evaluator = evaluator;
        _schema = schema;
        _baseUri = baseUri;
        _schemaPath = schemaPath;
    }

    /// <summary>The schema file this validator was loaded from, with any <c>$ref</c>'d files beside it loaded on demand.</summary>
    public static JsonSchemaValidator Load(string path)
    {
        var registry = new SchemaRegistry();
        var baseUri = registry.LoadFile(path);
        var (schema, _) = registry.Resolve(baseUri);
        return new JsonSchemaValidator(registry, new SchemaEvaluator(registry), schema, baseUri, "");
    }

    /// <summary>A validator for an in-memory schema; relative references resolve against <paramref name="baseUri"/> (default: a placeholder URI).</summary>
    public static JsonSchemaValidator FromSchema(JsonNode schema, Uri? baseUri = null)
    {
        var registry = new SchemaRegistry();
        var resolvedBase = registry.Add(schema, baseUri ?? new Uri("urn:pipelines-tests:inline-schema"));
        return new JsonSchemaValidator(registry, new SchemaEvaluator(registry), schema, resolvedBase, "");
    }

    /// <summary>
    /// A validator for a part of this schema, named by a JSON pointer such as <c>/properties/spec</c> (e.g. to check
    /// an inline Tekton <c>taskSpec</c> against <c>task_v1.json#/properties/spec</c>).
    /// </summary>
    public JsonSchemaValidator At(string pointer)
    {
        if (!JsonPointer.TryResolve(_schema, pointer, out var part))
            throw new ArgumentException($"The schema has nothing at '{pointer}'.", nameof(pointer));
        return new JsonSchemaValidator(_registry, _evaluator, part, _baseUri, _schemaPath + pointer);
    }

    /// <summary>Every way <paramref name="instance"/> fails the schema; empty when it is valid.</summary>
    public IReadOnlyList<JsonSchemaError> Validate(JsonNode? instance)
    {
        var errors = new List<JsonSchemaError>();
        _evaluator.Evaluate(_schema, _baseUri, _schemaPath, instance, errors);
        return errors;
    }

    /// <summary>Whether <paramref name="instance"/> satisfies the schema.</summary>
    public bool IsValid(JsonNode? instance) => Validate(instance).Count == 0;
}
