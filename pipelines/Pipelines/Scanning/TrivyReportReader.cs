using System.Globalization;
using System.Text.Json;

namespace Pipelines.Scanning;

/// <summary>
/// Reads Trivy's JSON report. Trivy omits empty fields (Go <c>omitempty</c>), so a missing field and a
/// <c>null</c> one are read alike; only the fields Trivy always writes are required.
/// </summary>
internal static class TrivyReportReader
{
    /// <summary>The only report schema this reader understands.</summary>
    public const int SupportedSchemaVersion = 2;

    /// <summary>Reads a report file, naming the file in any error.</summary>
    public static TrivyReport ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new PipelineException($"Trivy wrote no report at {path}; the scan did not complete, so the image is not considered scanned.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <param name="source">Names the report in error messages (a path).</param>
    public static TrivyReport Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new PipelineException($"The Trivy report {source} is not valid JSON ({e.Message}); the scan is treated as failed. Re-run the scan.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
                throw new PipelineException($"The Trivy report {source} is in the pre-v0.20 format (a bare array); upgrade Trivy to a release that writes SchemaVersion {SupportedSchemaVersion}.");
            if (root.ValueKind != JsonValueKind.Object)
                throw new PipelineException($"The Trivy report {source} is not a JSON object; the scan is treated as failed.");
            var schema = Int(root, "SchemaVersion");
            if (schema != SupportedSchemaVersion)
                throw new PipelineException($"The Trivy report {source} has SchemaVersion {(schema?.ToString(CultureInfo.InvariantCulture) ?? "(missing)")}; only SchemaVersion {SupportedSchemaVersion} is understood. Use a Trivy release that writes it (v0.20 or newer).");

            try
            {
                return ReadReport(root, schema.Value);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new PipelineException($"The Trivy report {source} could not be read ({e.Message}); the scan is treated as failed.");
            }
        }
    }

    private static TrivyReport ReadReport(JsonElement root, int schema)
    {
        var metadata = Object(root, "Metadata");
        var os = metadata is { } m && Object(m, "OS") is { } o
            ? new DetectedOs(String(o, "Family") ?? "none", String(o, "Name"), Bool(o, "EOSL") ?? false)
            : null;
        return new TrivyReport
        {
            SchemaVersion = schema,
            TrivyVersion = Object(root, "Trivy") is { } trivy ? String(trivy, "Version") : null,
            CreatedAt = String(root, "CreatedAt") is { } created
                ? DateTimeOffset.Parse(created, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
                : null,
            ArtifactName = String(root, "ArtifactName") ?? "",
            ArtifactType = String(root, "ArtifactType"),
            ArtifactId = String(root, "ArtifactID"),
            Os = os,
            ImageId = metadata is { } m1 ? String(m1, "ImageID") : null,
            RepoTags = metadata is { } m2 ? Strings(m2, "RepoTags") : [],
            RepoDigests = metadata is { } m3 ? Strings(m3, "RepoDigests") : [],
            Results = Array(root, "Results").Select(ReadResult).ToList(),
        };
    }

    private static TrivyResult ReadResult(JsonElement result) => new TrivyResult(
        String(result, "Target") ?? "",
        String(result, "Class"),
        String(result, "Type"),
        Array(result, "Vulnerabilities").Select(ReadVulnerability).ToList(),
        Array(result, "Secrets").Select(ReadSecret).ToList(),
        Array(result, "Misconfigurations").Select(ReadMisconfiguration).ToList())
    {
        Licenses = Array(result, "Licenses").Select(ReadLicense).ToList(),
    };

    private static DetectedLicense ReadLicense(JsonElement l) => new(
        Required(l, "Name"),
        String(l, "Category"),
        Severities.Parse(String(l, "Severity")),
        String(l, "PkgName") is { Length: > 0 } package ? package : null,
        String(l, "FilePath") is { Length: > 0 } file ? file : null,
        String(l, "Link") is { Length: > 0 } link ? link : null);

    private static DetectedVulnerability ReadVulnerability(JsonElement v) => new(
        Required(v, "VulnerabilityID"),
        Required(v, "PkgName"),
        String(v, "InstalledVersion") ?? "",
        String(v, "FixedVersion"),
        Severities.Parse(String(v, "Severity")),
        String(v, "Status"),
        String(v, "Title"),
        String(v, "PrimaryURL"),
        ReadCvss(v))
    {
        PackageId = String(v, "PkgID"),
        PackagePath = String(v, "PkgPath"),
        Purl = Object(v, "PkgIdentifier") is { } identifier ? String(identifier, "PURL") : null,
        SeveritySource = String(v, "SeveritySource"),
    };

    private static IReadOnlyDictionary<string, CvssScore> ReadCvss(JsonElement v)
    {
        var scores = new SortedDictionary<string, CvssScore>(StringComparer.Ordinal);
        if (Object(v, "CVSS") is not { } cvss) return scores;
        foreach (var source in cvss.EnumerateObject())
        {
            if (source.Value.ValueKind != JsonValueKind.Object) continue;
            var s = source.Value;
            scores[source.Name] = new CvssScore
            {
                V2Vector = String(s, "V2Vector"),
                V2Score = Number(s, "V2Score"),
                V3Vector = String(s, "V3Vector"),
                V3Score = Number(s, "V3Score"),
                V40Vector = String(s, "V40Vector"),
                V40Score = Number(s, "V40Score"),
            };
        }
        return scores;
    }

    private static DetectedSecret ReadSecret(JsonElement s) => new(
        Required(s, "RuleID"),
        String(s, "Category"),
        Severities.Parse(String(s, "Severity")),
        String(s, "Title"),
        Int(s, "StartLine") ?? 0,
        Int(s, "EndLine") ?? 0,
        String(s, "Match"));

    private static DetectedMisconfiguration ReadMisconfiguration(JsonElement m) => new(
        Required(m, "ID"),
        String(m, "AVDID"),
        String(m, "Title"),
        String(m, "Message"),
        String(m, "Resolution"),
        Severities.Parse(String(m, "Severity")),
        String(m, "PrimaryURL"),
        String(m, "Status") ?? "FAIL");

    // Accessors: a missing property and a JSON null both read as "absent".

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    private static string? String(JsonElement element, string name) =>
        Property(element, name) is { } value ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    private static string Required(JsonElement element, string name) =>
        String(element, name) is { Length: > 0 } value ? value : throw new FormatException($"an entry has no {name}");

    private static int? Int(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : null;

    private static double? Number(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    private static bool? Bool(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    private static JsonElement? Object(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Object } value ? value : null;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } value ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object) : [];

    private static IReadOnlyList<string> Strings(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } value
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
}
