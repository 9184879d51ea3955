using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipelines.Tests.Support.JsonSchema;

/// <summary>
/// Reads YAML into <see cref="JsonNode"/>s so it can be schema-validated. Plain scalars are typed by the YAML 1.2
/// core schema (what Kubernetes' sigs.k8s.io/yaml and kubectl do): only true/false are booleans, so the GitHub
/// workflow key <c>on</c> stays a string; quoted scalars are always strings.
/// </summary>
public static partial class YamlToJson
{
    /// <summary>Every document of a YAML stream (e.g. <c>kubectl kustomize</c> output), empty documents skipped.</summary>
    public static IReadOnlyList<JsonNode> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Where(document => document.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(document => Convert(document.RootNode))
            .OfType<JsonNode>()
            .ToList();
    }

    /// <summary>A single-document YAML text.</summary>
    public static JsonNode? Parse(string yaml) => ParseAll(yaml) is [var only] ? only : throw new InvalidDataException($"Expected one YAML document, found {ParseAll(yaml).Count}.");

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new InvalidDataException($"Unsupported YAML node at {node.Start}."),
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } text } ? text : throw new InvalidDataException($"Only scalar mapping keys are supported (at {key.Start}).");
            if (obj.ContainsKey(name)) throw new InvalidDataException($"Duplicate YAML key '{name}' at {key.Start}.");
            obj[name] = Convert(value);
        }
        return obj;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || (tag is null && scalar.Style is not ScalarStyle.Plain))
            return JsonValue.Create(text);
        if (tag is "tag:yaml.org,2002:null" || (tag is null && NullPattern().IsMatch(text)))
            return null;
        if (tag is "tag:yaml.org,2002:bool" || (tag is null && BoolPattern().IsMatch(text)))
            return JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase));
        if (tag is null or "tag:yaml.org,2002:int")
        {
            if (DecimalIntPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                return JsonValue.Create(integer);
            if (text.StartsWith("0x") && long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
                return JsonValue.Create(hex);
            if (text.StartsWith("0o") && text.Length > 2 && text[2..].All(c => c is >= '0' and <= '7'))
                return JsonValue.Create(System.Convert.ToInt64(text[2..], 8));
        }
        if (tag is null or "tag:yaml.org,2002:float")
        {
            if (FloatPattern().IsMatch(text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                return JsonValue.Create(number);
        }
        if (tag is not null && tag != "tag:yaml.org,2002:str" && tag.StartsWith("tag:yaml.org,2002:"))
            throw new InvalidDataException($"YAML value '{text}' at {scalar.Start} does not fit its tag {tag}.");
        return JsonValue.Create(text);
    }

    [GeneratedRegex("^(~|null|Null|NULL|)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex("^(true|True|TRUE|false|False|FALSE)$")]
    private static partial Regex BoolPattern();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalIntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
