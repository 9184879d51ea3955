using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>
/// The shared schemas (<c>../shared/schemas</c>) through JsonSchema.Net: draft-07 and 2020-12 as the library has them,
/// draft-04 and the unversioned <c>http://json-schema.org/schema#</c> as a dialect alias built from draft-07 that allows
/// unknown keywords (which also lets the Kubernetes <c>x-kubernetes-*</c> keywords through; schemas that name no
/// <c>$schema</c>, the CRDs, are read the same way), and files that a schema
/// <c>$ref</c>s by a relative name (CycloneDX's spdx and jsf schemas) registered beside it in the same registry.
/// Errors come back as <see cref="JsonSchemaError"/>s, one per failing keyword, at the instance path they concern.
/// </summary>
public sealed partial class JsonSchemaValidator
{
    private static readonly Uri[] LegacyDialects =
    [
        new("http://json-schema.org/draft-04/schema#"),
        new("http://json-schema.org/schema#"),
    ];

    private readonly Json.Schema.JsonSchema _schema;
    private readonly BuildOptions _options;
    private readonly Uri _baseUri;

    private JsonSchemaValidator(Json.Schema.JsonSchema schema, BuildOptions options, Uri baseUri)
    {
        _schema = schema;
        _options = options;
        _baseUri = baseUri;
    }

    /// <summary>The schema file, with the files it references by relative name loaded into the same registry first.</summary>
    public static JsonSchemaValidator Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"JSON schema '{full}' does not exist.", full);
        var options = NewOptions();
        RegisterReferencedFiles(full, options, new HashSet<string> { full });
        var schema = Json.Schema.JsonSchema.FromFile(full, options);
        return new JsonSchemaValidator(schema, options, schema.BaseUri);
    }

    /// <summary>
    /// A validator for a part of this schema, named by a JSON pointer such as <c>/properties/spec</c> (e.g. to check
    /// an inline Tekton <c>taskSpec</c> against <c>task_v1.json#/properties/spec</c>): a <c>$ref</c> to it.
    /// </summary>
    public JsonSchemaValidator At(string pointer)
    {
        var reference = new JsonObject { ["$ref"] = _baseUri.GetLeftPart(UriPartial.Query) + "#" + pointer };
        var part = Json.Schema.JsonSchema.Build(JsonSerializer.SerializeToElement(reference), _options, new Uri($"urn:pipelines-tests:part:{Guid.NewGuid():N}"));
        return new JsonSchemaValidator(part, _options, _baseUri);
    }

    /// <summary>Every way <paramref name="instance"/> fails the schema; empty when it is valid.</summary>
    public IReadOnlyList<JsonSchemaError> Validate(JsonNode? instance)
    {
        var results = _schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var errors = new List<JsonSchemaError>();
        Collect(results, errors);
        return errors;
    }

    /// <summary>
    /// The errors of failing nodes, descending only into failing children: the failed branch of an <c>anyOf</c>
    /// or <c>oneOf</c> that passed is not a problem with the document.
    /// </summary>
    private static void Collect(EvaluationResults result, List<JsonSchemaError> errors)
    {
        if (result.IsValid) return;
        foreach (var (keyword, message) in result.Errors ?? new Dictionary<string, string>())
            errors.Add(new JsonSchemaError(result.InstanceLocation.ToString(), $"{result.EvaluationPath}/{keyword}".TrimEnd('/'), Describe(result, keyword, message)));
        foreach (var child in result.Details ?? [])
            Collect(child, errors);
    }

    /// <summary>Whether <paramref name="instance"/> satisfies the schema.</summary>
    public bool IsValid(JsonNode? instance) => Validate(instance).Count == 0;

    /// <summary>
    /// Fresh registries per validator (the global ones stay untouched). A schema without <c>$schema</c> (the CRD
    /// schemas) is read with the same draft-07 alias, so their <c>x-kubernetes-*</c> keywords are let through.
    /// </summary>
    private static BuildOptions NewOptions()
    {
        var dialects = new DialectRegistry();
        foreach (var id in LegacyDialects)
            dialects.Register(Dialect.Draft07.With([], id: id, allowUnknownKeywords: true));
        return new BuildOptions
        {
            SchemaRegistry = new SchemaRegistry(),
            DialectRegistry = dialects,
            Dialect = Dialect.Draft07.With([], allowUnknownKeywords: true),
        };
    }

    /// <summary>Builds every <c>*.json</c> file beside <paramref name="file"/> that it references by relative name.</summary>
    private static void RegisterReferencedFiles(string file, BuildOptions options, HashSet<string> seen)
    {
        var directory = Path.GetDirectoryName(file)!;
        foreach (Match reference in RelativeFileReference().Matches(File.ReadAllText(file)))
        {
            var target = Path.GetFullPath(Path.Combine(directory, reference.Groups["file"].Value));
            if (!File.Exists(target) || !seen.Add(target)) continue;
            RegisterReferencedFiles(target, options, seen);
            options.SchemaRegistry.Register(Json.Schema.JsonSchema.FromFile(target, options));
        }
    }

    [GeneratedRegex("\"\\$ref\"\\s*:\\s*\"(?<file>[^\"#:]+\\.json)(#[^\"]*)?\"")]
    private static partial Regex RelativeFileReference();

    /// <summary>The library's message, in the words the tests have always printed for the commonest failure.</summary>
    private static string Describe(EvaluationResults result, string keyword, string message)
    {
        var instance = result.InstanceLocation.ToString();
        var notAllowed = result.EvaluationPath.ToString().Contains("/additionalProperties") && instance.Length > 0
            && keyword is "" or "false" or "additionalProperties" && message.Contains("false", StringComparison.OrdinalIgnoreCase);
        return notAllowed ? $"property '{instance[(instance.LastIndexOf('/') + 1)..].Replace("~1", "/").Replace("~0", "~")}' is not allowed here" : message;
    }
}
