using System.Text.Json.Nodes;

namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>The keywords one by one on inline schemas, each with an instance that passes and one that fails.</summary>
public sealed class JsonSchemaValidatorTests
{
    private static IReadOnlyList<JsonSchemaError> Validate(string schema, string instance) =>
        JsonSchemaValidator.FromSchema(JsonNode.Parse(schema)!).Validate(JsonNode.Parse(instance));

    private static void Valid(string schema, string instance) =>
        Assert.True(Validate(schema, instance) is { Count: 0 }, $"{instance} should be valid: {string.Join("; ", Validate(schema, instance))}");

    private static JsonSchemaError Invalid(string schema, string instance)
    {
        var errors = Validate(schema, instance);
        Assert.True(errors.Count > 0, $"{instance} should be rejected by {schema}");
        return errors[0];
    }

    [Fact]
    public void Type_accepts_any_listed_type_and_counts_whole_numbers_as_integers()
    {
        const string schema = """{"type": ["integer", "null"]}""";
        Valid(schema, "3");
        Valid(schema, "3.0");
        Valid(schema, "null");
        Assert.Equal("expected integer or null, found number", Invalid(schema, "3.5").Message);
        Assert.Equal("expected integer or null, found string", Invalid(schema, "\"3\"").Message);
        Valid("""{"type": "number"}""", "7");
        Invalid("""{"type": "boolean"}""", "0");
    }

    [Fact]
    public void Object_keywords_report_the_path_of_the_offending_property()
    {
        const string schema = """
            {"type": "object", "required": ["name"],
             "properties": {"name": {"type": "string"}, "spec": {"type": "object", "properties": {"port": {"type": "integer"}}, "additionalProperties": false}},
             "patternProperties": {"^x-": {"type": "string"}},
             "additionalProperties": {"type": "boolean"}}
            """;
        Valid(schema, """{"name": "a", "spec": {"port": 80}, "x-note": "n", "debug": true}""");
        Assert.Equal("required property 'name' is missing", Invalid(schema, "{}").Message);
        var misspelled = Invalid(schema, """{"name": "a", "spec": {"prot": 80}}""");
        Assert.Equal("/spec/prot", misspelled.InstancePath);
        Assert.Equal("/x-note", Invalid(schema, """{"name": "a", "x-note": 1}""").InstancePath);
        Assert.Equal("/debug", Invalid(schema, """{"name": "a", "debug": "yes"}""").InstancePath);
        Invalid("""{"minProperties": 2}""", """{"a": 1}""");
        Invalid("""{"maxProperties": 1}""", """{"a": 1, "b": 2}""");
        Invalid("""{"propertyNames": {"pattern": "^[a-z]+$"}}""", """{"Upper": 1}""");
    }

    [Fact]
    public void Array_keywords_check_items_tuples_counts_and_uniqueness()
    {
        Valid("""{"items": {"type": "string"}, "minItems": 1, "maxItems": 2}""", """["a", "b"]""");
        Assert.Equal("/1", Invalid("""{"items": {"type": "string"}}""", """["a", 2]""").InstancePath);
        Invalid("""{"minItems": 1}""", "[]");
        Invalid("""{"maxItems": 1}""", "[1, 2]");
        const string tuple = """{"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false}""";
        Valid(tuple, """["a", 1]""");
        Assert.Equal("/1", Invalid(tuple, """["a", "b"]""").InstancePath);
        Assert.Equal("/2", Invalid(tuple, """["a", 1, 2]""").InstancePath);
        Valid("""{"uniqueItems": true}""", """[1, "1", {"a": 1}, {"a": 2}]""");
        Invalid("""{"uniqueItems": true}""", """[1, 1.0]""");
        Invalid("""{"uniqueItems": true}""", """[{"a": 1, "b": 2}, {"b": 2, "a": 1}]""");
        Valid("""{"contains": {"const": 3}}""", "[1, 3]");
        Invalid("""{"contains": {"const": 3}}""", "[1, 2]");
    }

    [Fact]
    public void String_keywords_count_code_points_and_match_patterns_anywhere()
    {
        Valid("""{"minLength": 2, "maxLength": 2}""", "\"\uD83D\uDE00a\"");
        Invalid("""{"maxLength": 1}""", "\"ab\"");
        Invalid("""{"minLength": 3}""", "\"ab\"");
        Valid("""{"pattern": "[0-9]+"}""", "\"v12\"");
        Invalid("""{"pattern": "^[0-9]+$"}""", "\"v12\"");
        Valid("""{"pattern": "^[0-9]+$"}""", "12");
    }

    [Fact]
    public void Enum_and_const_compare_by_json_value()
    {
        Valid("""{"enum": ["a", 1, null]}""", "1.0");
        Valid("""{"enum": ["a", 1, null]}""", "null");
        Invalid("""{"enum": ["a", 1, null]}""", "\"b\"");
        Valid("""{"const": {"x": [1, 2]}}""", """{"x": [1, 2]}""");
        Invalid("""{"const": {"x": [1, 2]}}""", """{"x": [2, 1]}""");
    }

    [Fact]
    public void Numeric_bounds_accept_both_draft04_and_draft06_exclusive_forms()
    {
        Valid("""{"minimum": 1, "maximum": 3}""", "3");
        Invalid("""{"minimum": 1}""", "0.5");
        Invalid("""{"maximum": 3}""", "3.01");
        Invalid("""{"minimum": 1, "exclusiveMinimum": true}""", "1");
        Invalid("""{"maximum": 3, "exclusiveMaximum": true}""", "3");
        Valid("""{"maximum": 3, "exclusiveMaximum": false}""", "3");
        Invalid("""{"exclusiveMinimum": 1}""", "1");
        Invalid("""{"exclusiveMaximum": 3}""", "3");
        Valid("""{"exclusiveMaximum": 3}""", "2.999");
        Valid("""{"multipleOf": 0.1}""", "0.3");
        Invalid("""{"multipleOf": 2}""", "3");
    }

    [Fact]
    public void Combinators_follow_their_definitions()
    {
        const string allOf = """{"allOf": [{"minimum": 1}, {"maximum": 2}]}""";
        Valid(allOf, "2");
        Invalid(allOf, "3");
        const string anyOf = """{"anyOf": [{"type": "string"}, {"type": "integer"}]}""";
        Valid(anyOf, "1");
        Assert.StartsWith("matches none of the 2 anyOf alternatives", Invalid(anyOf, "true").Message);
        const string oneOf = """{"oneOf": [{"type": "integer"}, {"minimum": 0}]}""";
        Valid(oneOf, "-1");
        Valid(oneOf, "0.5");
        Assert.Contains("exactly one must match", Invalid(oneOf, "1").Message);
        Invalid(oneOf, "-0.5");
        Valid("""{"not": {"type": "null"}}""", "0");
        Invalid("""{"not": {"type": "null"}}""", "null");
    }

    [Fact]
    public void If_then_else_applies_the_branch_the_condition_selects()
    {
        const string schema = """
            {"if": {"properties": {"kind": {"const": "tcp"}}},
             "then": {"required": ["port"]},
             "else": {"required": ["path"]}}
            """;
        Valid(schema, """{"kind": "tcp", "port": 1}""");
        Invalid(schema, """{"kind": "tcp", "path": "/"}""");
        Valid(schema, """{"kind": "http", "path": "/"}""");
        Invalid(schema, """{"kind": "http", "port": 1}""");
    }

    [Fact]
    public void Dependencies_require_properties_or_apply_schemas()
    {
        const string schema = """{"dependencies": {"tls": ["secret"], "mode": {"required": ["level"]}}, "dependentRequired": {"a": ["b"]}}""";
        Valid(schema, """{"tls": true, "secret": "s"}""");
        Assert.Equal("property 'secret' is required when 'tls' is present", Invalid(schema, """{"tls": true}""").Message);
        Invalid(schema, """{"mode": "x"}""");
        Invalid(schema, """{"a": 1}""");
        Valid(schema, """{"b": 1}""");
    }

    [Fact]
    public void References_resolve_definitions_defs_recursion_and_id_bases()
    {
        const string schema = """
            {"$id": "http://example.test/schemas/tree.json",
             "definitions": {"node": {"type": "object", "properties": {"value": {"$ref": "#/$defs/small"}, "children": {"type": "array", "items": {"$ref": "tree.json#/definitions/node"}}}, "additionalProperties": false}},
             "$defs": {"small": {"type": "integer", "maximum": 9}},
             "$ref": "#/definitions/node"}
            """;
        Valid(schema, """{"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]}""");
        var deep = Invalid(schema, """{"value": 1, "children": [{"children": [{"value": 30}]}]}""");
        Assert.Equal("/children/0/children/0/value", deep.InstancePath);
        Assert.Equal("/$defs/small/maximum", deep.SchemaPath);
        Assert.Throws<InvalidDataException>(() => Validate("""{"$ref": "#/definitions/missing"}""", "1"));
    }

    [Fact]
    public void Kubernetes_extensions_allow_null_int_or_string_and_unknown_fields()
    {
        Valid("""{"type": "string", "nullable": true}""", "null");
        const string intOrString = """{"x-kubernetes-int-or-string": true}""";
        Valid(intOrString, "8080");
        Valid(intOrString, "\"http\"");
        Invalid(intOrString, "true");
        Invalid(intOrString, "1.5");
        const string preserve = """{"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false, "x-kubernetes-preserve-unknown-fields": true}""";
        Valid(preserve, """{"a": "x", "anything": {"b": 1}}""");
        Invalid(preserve, """{"a": 1}""");
    }

    [Fact]
    public void Boolean_schemas_accept_everything_or_nothing()
    {
        Valid("true", """{"any": 1}""");
        Invalid("false", "1");
        Invalid("""{"properties": {"gone": false}}""", """{"gone": 1}""");
    }
}
