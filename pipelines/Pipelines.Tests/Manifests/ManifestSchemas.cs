using Pipelines.Tests.Support;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Manifests;

/// <summary>
/// Picks the schema for a rendered object from its apiVersion and kind, in the two layouts of <c>../shared/schemas</c>:
/// built-in kinds in <c>k8s/&lt;kind&gt;-&lt;group&gt;-&lt;version&gt;.json</c> (yannh's standalone-strict naming, group's
/// first label, none for the core group) and custom resources in <c>crds/&lt;group&gt;/&lt;kind&gt;_&lt;version&gt;.json</c>.
/// </summary>
public sealed class ManifestSchemas
{
    private readonly string _schemasDirectory;
    private readonly ConcurrentDictionary<string, JsonSchemaValidator> _validators = new();

    public ManifestSchemas(string schemasDirectory) => _schemasDirectory = schemasDirectory;

    /// <summary>The shared schemas beside the repository.</summary>
    public static ManifestSchemas Shared() => new(TestPaths.SharedFile("schemas"));

    /// <summary>The schema file for an apiVersion and kind (which may not exist).</summary>
    public string PathFor(string apiVersion, string kind)
    {
        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        var lowerKind = kind.ToLowerInvariant();
        var builtIn = group.Length == 0 || !group.Contains('.') || group.EndsWith(".k8s.io", StringComparison.Ordinal);
        return builtIn
            ? Path.Combine(_schemasDirectory, "k8s", group.Length == 0 ? $"{lowerKind}-{version}.json" : $"{lowerKind}-{group.Split('.')[0]}-{version}.json")
            : Path.Combine(_schemasDirectory, "crds", group, $"{lowerKind}_{version}.json");
    }

    /// <summary>
    /// Everything wrong with the objects, one line each: schema violations, and objects whose kind has no schema
    /// (so a new kind cannot slip in unchecked).
    /// </summary>
    public IReadOnlyList<string> Problems(IEnumerable<JsonObject> objects)
    {
        var problems = new List<string>();
        foreach (var obj in objects)
        {
            var apiVersion = obj["apiVersion"]?.GetValue<string>();
            var kind = obj["kind"]?.GetValue<string>();
            if (apiVersion is null || kind is null)
            {
                problems.Add($"{Kustomize.Describe(obj)}: apiVersion and kind are required");
                continue;
            }
            var path = PathFor(apiVersion, kind);
            if (!File.Exists(path))
            {
                problems.Add($"{Kustomize.Describe(obj)}: no schema for {apiVersion} {kind}; add {Path.GetRelativePath(_schemasDirectory, path)} under the shared schemas folder");
                continue;
            }
            var validator = _validators.GetOrAdd(path, JsonSchemaValidator.Load);
            problems.AddRange(validator.Validate(obj).Select(error => $"{Kustomize.Describe(obj)} {error}"));
        }
        return problems;
    }
}
