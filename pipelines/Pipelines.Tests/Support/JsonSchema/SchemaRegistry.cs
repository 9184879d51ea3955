using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>
/// The schema documents a validator can reach, keyed by absolute URI (without fragment). A document is
/// known by its file URI and by its <c>$id</c> (draft-06+) or <c>id</c> (draft-04); a relative <c>$ref</c> to a
/// document not yet loaded is looked up as a file beside the document it was written in, so
/// <c>bom-1.6.schema.json</c> (<c>$id</c> http://cyclonedx.org/schema/…) finds <c>spdx.schema.json</c> next to it.
/// </summary>
internal sealed class SchemaRegistry
{
    private readonly Dictionary<Uri, JsonNode?> _resources = new();
    // For each identifier URI, the file it came from, so a relative reference can fall back to the disk.
    private readonly Dictionary<Uri, string> _files = new();

    /// <summary>Loads a schema file and returns the URI its root is evaluated against (its <c>$id</c>, else the file URI).</summary>
    public Uri LoadFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"JSON schema '{full}' does not exist.", full);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(full), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"JSON schema '{full}' is not valid JSON: {e.Message}", e);
        }
        var fileUri = new Uri(full);
        return Add(root, fileUri, full);
    }

    /// <summary>Registers an in-memory schema under <paramref name="retrievalUri"/>.</summary>
    public Uri Add(JsonNode? root, Uri retrievalUri, string? file = null)
    {
        var baseUri = WithoutFragment(retrievalUri);
        Register(baseUri, root, file);
        if (IdOf(root) is { } id)
        {
            baseUri = WithoutFragment(new Uri(baseUri, id));
            Register(baseUri, root, file);
        }
        IndexEmbeddedIds(root, baseUri, file, isRoot: true);
        return baseUri;
    }

    /// <summary>Resolves <paramref name="reference"/> (already absolute) to the schema node it names and the base URI in force there.</summary>
    public (JsonNode? Schema, Uri BaseUri) Resolve(Uri reference)
    {
        var document = WithoutFragment(reference);
        if (!_resources.TryGetValue(document, out var root))
        {
            root = TryLoadBeside(document)
                ?? throw new InvalidDataException($"JSON schema reference '{reference}' names a document that is not loaded and has no file beside the referring schema.");
        }
        var fragment = Uri.UnescapeDataString(reference.Fragment.TrimStart('#'));
        if (fragment.Length > 0 && fragment[0] != '/')
            throw new InvalidDataException($"JSON schema reference '{reference}' uses a plain-name fragment, which this validator does not support.");
        if (!JsonPointer.TryResolve(root, fragment, out var target))
            throw new InvalidDataException($"JSON schema reference '{reference}' points at nothing: '{fragment}' does not exist in {document}.");
        return (target, document);
    }

    /// <summary>The identifier a schema object declares, if any.</summary>
    public static string? IdOf(JsonNode? schema)
    {
        if (schema is not JsonObject obj) return null;
        // "id" is draft-04's spelling; a string value can only be the keyword (a property called "id" would hold a schema object).
        var id = obj["$id"] ?? obj["id"];
        return id is JsonValue value && value.GetValueKind() == JsonValueKind.String && !value.GetValue<string>().StartsWith('#')
            ? value.GetValue<string>()
            : null;
    }

    private void Register(Uri uri, JsonNode? node, string? file)
    {
        _resources[uri] = node;
        if (file is not null) _files[uri] = file;
    }

    private JsonNode? TryLoadBeside(Uri document)
    {
        if (document.IsFile && File.Exists(document.LocalPath))
        {
            LoadFile(document.LocalPath);
            return _resources[document];
        }
        foreach (var (known, file) in _files.ToList())
        {
            var relative = known.MakeRelativeUri(document);
            if (relative.IsAbsoluteUri) continue;
            var candidate = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, Uri.UnescapeDataString(relative.OriginalString)));
            if (!File.Exists(candidate)) continue;
            var loaded = LoadFile(candidate);
            // The file's own $id may differ from the URI it was referenced by; answer under both.
            _resources[document] = _resources[loaded];
            return _resources[document];
        }
        return null;
    }

    private void IndexEmbeddedIds(JsonNode? node, Uri baseUri, string? file, bool isRoot)
    {
        switch (node)
        {
            case JsonObject obj:
                if (!isRoot && obj["$id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && !v.GetValue<string>().StartsWith('#'))
                {
                    baseUri = WithoutFragment(new Uri(baseUri, v.GetValue<string>()));
                    Register(baseUri, obj, file);
                }
                foreach (var (key, child) in obj)
                {
                    // Values under these keywords are data, not schemas.
                    if (key is "enum" or "const" or "default" or "examples") continue;
                    IndexEmbeddedIds(child, baseUri, file, isRoot: false);
                }
                break;
            case JsonArray array:
                foreach (var child in array) IndexEmbeddedIds(child, baseUri, file, isRoot: false);
                break;
        }
    }

    private static Uri WithoutFragment(Uri uri) =>
        uri.Fragment.Length == 0 ? uri : new Uri(uri.GetLeftPart(UriPartial.Query));
}
