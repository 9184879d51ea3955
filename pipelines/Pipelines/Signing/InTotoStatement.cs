using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Signing;

/// <summary>
/// An in-toto Statement: which artifacts (<see cref="Subjects"/>) a predicate speaks about.
/// </summary>
/// <param name="Subjects">The subjects, each a name and its sha256 digest (hex).</param>
/// <param name="PredicateType">A URI: <c>https://slsa.dev/provenance/v1</c>, <c>https://cyclonedx.org/bom</c>…</param>
/// <param name="Predicate">The predicate JSON.</param>
/// <param name="Type">The statement type; v1 for what we write, v0.1 is what older cosign wrote.</param>
internal sealed record InTotoStatement(
    IReadOnlyList<InTotoSubject> Subjects,
    string PredicateType,
    JsonNode Predicate,
    string Type = InTotoStatement.StatementV1)
{
    /// <summary>in-toto Statement v1.</summary>
    public const string StatementV1 = "https://in-toto.io/Statement/v1";

    /// <summary>in-toto Statement v0.1, as cosign's classic <c>attest</c> writes.</summary>
    public const string StatementV01 = "https://in-toto.io/Statement/v0.1";

    /// <summary>Compact JSON in the spec's field order: <c>_type, subject, predicateType, predicate</c>.</summary>
    public byte[] ToBytes()
    {
        var root = new JsonObject
        {
            ["_type"] = Type,
            ["subject"] = new JsonArray(Subjects.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["digest"] = new JsonObject { ["sha256"] = s.Sha256 },
            }).ToArray()),
            ["predicateType"] = PredicateType,
            ["predicate"] = Predicate.DeepClone(),
        };
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Reads a statement by field names.</summary>
    /// <exception cref="FormatException">Not an in-toto statement.</exception>
    public static InTotoStatement Parse(byte[] json)
    {
        try
        {
            var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("the statement is null");
            var subjects = (root["subject"]?.AsArray() ?? [])
                .Select(s => new InTotoSubject(s?["name"]?.GetValue<string>() ?? "", s?["digest"]?["sha256"]?.GetValue<string>() ?? ""))
                .ToList();
            return new InTotoStatement(
                subjects,
                root["predicateType"]?.GetValue<string>() ?? throw new FormatException("predicateType is missing"),
                root["predicate"]?.DeepClone() ?? new JsonObject(),
                root["_type"]?.GetValue<string>() ?? throw new FormatException("_type is missing"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"not an in-toto statement: {e.Message}", e);
        }
    }
}
