using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Scanning;

/// <summary>
/// Writes findings as SARIF 2.1.0 for GitHub code scanning, the way Trivy's own <c>-f sarif</c> does:
/// one run, driver <c>Trivy</c>, one rule per finding ID, <c>level</c> by severity and a
/// <c>security-severity</c> property (the CVSS v3 score, else a fixed value per severity) that GitHub uses
/// to rank alerts. Findings the policy accepted stay in, marked with an external suppression and its reason,
/// so the accepted risk is visible where alerts are reviewed.
/// </summary>
internal static class SarifWriter
{
    /// <summary>The SARIF 2.1.0 schema the written file declares.</summary>
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>Turns the report and gate decision into SARIF for GitHub code scanning.</summary>
    /// <param name="report">Trivy's JSON report.</param>
    /// <param name="decision">The gate's decision (suppressions come from it).</param>
    /// <param name="trivyVersion">The Trivy version, for the driver.</param>
    /// <param name="category">The run's <c>automationDetails.id</c> when several scans are uploaded together; null: none.</param>
    public static string Write(TrivyReport report, GateDecision decision, string? trivyVersion, string? category = null)
    {
        var findings = report.Findings();
        var rules = new JsonArray();
        var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var results = new JsonArray();
        foreach (var finding in findings)
        {
            if (!ruleIndex.TryGetValue(finding.Id, out var index))
            {
                index = ruleIndex[finding.Id] = rules.Count;
                rules.Add(Rule(finding));
            }
            var result = new JsonObject
            {
                ["ruleId"] = finding.Id,
                ["ruleIndex"] = index,
                ["level"] = Level(finding.Severity),
                ["message"] = new JsonObject { ["text"] = Message(finding) },
                ["locations"] = new JsonArray(Location(report, finding)),
            };
            if (decision.Ignored.FirstOrDefault(i => ReferenceEquals(i.Finding, finding) || i.Finding == finding) is { } ignored)
                result["suppressions"] = new JsonArray(new JsonObject
                {
                    // No status/state: the two published 2.1.0 schemas spell it differently, and it is optional.
                    ["kind"] = "external",
                    ["justification"] = $"{ignored.Entry.Reason} ({ignored.Entry.Source})",
                });
            results.Add(result);
        }

        var driver = new JsonObject
        {
            ["name"] = "Trivy",
            ["fullName"] = "Trivy Vulnerability Scanner",
            ["informationUri"] = "https://github.com/aquasecurity/trivy",
            ["rules"] = rules,
        };
        if (trivyVersion is { Length: > 0 }) driver["version"] = trivyVersion;

        var properties = new JsonObject { ["imageName"] = report.ArtifactName };
        if (report.ImageId is { } imageId) properties["imageID"] = imageId;
        if (report.RepoDigests.Count > 0) properties["repoDigests"] = new JsonArray(report.RepoDigests.Select(d => (JsonNode?)d).ToArray());
        if (report.RepoTags.Count > 0) properties["repoTags"] = new JsonArray(report.RepoTags.Select(t => (JsonNode?)t).ToArray());

        var run = new JsonObject
        {
            ["tool"] = new JsonObject { ["driver"] = driver },
            ["results"] = results,
            ["columnKind"] = "utf16CodeUnits",
            ["originalUriBaseIds"] = new JsonObject { ["ROOTPATH"] = new JsonObject { ["uri"] = "file:///" } },
            ["properties"] = properties,
        };
        if (category is { Length: > 0 }) run["automationDetails"] = new JsonObject { ["id"] = category };
        var sarif = new JsonObject
        {
            ["version"] = "2.1.0",
            ["$schema"] = SchemaUri,
            ["runs"] = new JsonArray(run),
        };
        return sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>CRITICAL and HIGH are errors, MEDIUM warnings, the rest notes: Trivy's mapping.</summary>
    public static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>The CVSS v3 score when there is one, else Trivy's fixed value for the severity.</summary>
    public static string SecuritySeverity(Finding finding) =>
        (finding.CvssScore ?? finding.Severity switch
        {
            Severity.Critical => 9.5,
            Severity.High => 8.0,
            Severity.Medium => 5.5,
            Severity.Low => 2.0,
            _ => 0.0,
        }).ToString("0.0", CultureInfo.InvariantCulture);

    private static JsonObject Rule(Finding finding)
    {
        var title = finding.Title ?? finding.Id;
        var help = finding.Kind switch
        {
            FindingKind.Vulnerability => $"Vulnerability {finding.Id}\nSeverity: {finding.Severity.ToTrivyName()}\nPackage: {finding.Package}\nFixed Version: {finding.FixedVersion ?? "none"}" +
                (finding.PrimaryUrl is { } url ? $"\nLink: [{finding.Id}]({url})" : ""),
            FindingKind.Secret => $"Secret {title}\nSeverity: {finding.Severity.ToTrivyName()}\nRemove the secret from the image and rotate it.",
            FindingKind.License => $"License {finding.Id}\nSeverity: {finding.Severity.ToTrivyName()}\nPackage: {finding.Package ?? finding.Target}\n{title}",
            _ => $"Misconfiguration {finding.Id}\nSeverity: {finding.Severity.ToTrivyName()}\n{title}",
        };
        var rule = new JsonObject
        {
            ["id"] = finding.Id,
            ["name"] = RuleName(finding),
            ["shortDescription"] = new JsonObject { ["text"] = title },
            ["fullDescription"] = new JsonObject { ["text"] = title },
            ["defaultConfiguration"] = new JsonObject { ["level"] = Level(finding.Severity) },
            ["help"] = new JsonObject { ["text"] = help, ["markdown"] = help.Replace("\n", "  \n") },
            ["properties"] = new JsonObject
            {
                ["precision"] = "very-high",
                ["security-severity"] = SecuritySeverity(finding),
                ["tags"] = new JsonArray(
                    finding.Kind switch { FindingKind.Vulnerability => "vulnerability", FindingKind.Secret => "secret", FindingKind.License => "license", _ => "misconfiguration" },
                    "security",
                    finding.Severity.ToTrivyName()),
            },
        };
        if (finding.PrimaryUrl is { Length: > 0 } link) rule["helpUri"] = link;
        return rule;
    }

    private static string RuleName(Finding finding) => finding.Kind switch
    {
        FindingKind.Secret => "Secret",
        FindingKind.Misconfiguration => "Misconfiguration",
        FindingKind.License => "License",
        _ when finding.ResultClass == "os-pkgs" => "OsPackageVulnerability",
        _ => "LanguageSpecificPackageVulnerability",
    };

    private static string Message(Finding finding) => finding.Kind switch
    {
        FindingKind.Vulnerability =>
            $"Package: {finding.Package}\nInstalled Version: {finding.InstalledVersion}\nVulnerability {finding.Id}\nSeverity: {finding.Severity.ToTrivyName()}\nFixed Version: {finding.FixedVersion ?? "none"}" +
            (finding.PrimaryUrl is { } url ? $"\nLink: [{finding.Id}]({url})" : ""),
        FindingKind.Secret => $"Artifact: {finding.Target}\nType: secret\nSecret {finding.Title ?? finding.Id}\nSeverity: {finding.Severity.ToTrivyName()}",
        FindingKind.License => $"Artifact: {finding.Target}\nType: license\nPackage: {finding.Package ?? finding.Target}\nLicense {finding.Id}\nSeverity: {finding.Severity.ToTrivyName()}",
        _ => $"Artifact: {finding.Target}\nType: misconfiguration\n{finding.Id}: {finding.Title ?? ""}\nSeverity: {finding.Severity.ToTrivyName()}",
    };

    private static JsonObject Location(TrivyReport report, Finding finding)
    {
        // Package findings point at the artifact (an image has no source line), secrets at their line.
        var path = finding.Kind == FindingKind.Vulnerability && finding.ResultClass == "os-pkgs" ? report.ArtifactName
            // A package's licence has no file of its own ("OS Packages" is no path); a loose licence file has one.
            : finding.Kind == FindingKind.License ? (finding.ResultClass == "license-file" && finding.Package is { } file ? file : report.ArtifactName)
            : finding.Target.Length > 0 ? finding.Target
            : report.ArtifactName;
        var line = Math.Max(1, finding.Line ?? 1);
        return new JsonObject
        {
            ["physicalLocation"] = new JsonObject
            {
                ["artifactLocation"] = new JsonObject { ["uri"] = UriReference(path), ["uriBaseId"] = "ROOTPATH" },
                ["region"] = new JsonObject { ["startLine"] = line, ["startColumn"] = 1, ["endLine"] = line, ["endColumn"] = 1 },
            },
            ["message"] = new JsonObject
            {
                ["text"] = finding.Package is { } package ? $"{path}: {package}@{finding.InstalledVersion}" : path,
            },
        };
    }

    /// <summary>
    /// A relative URI reference for a path or an image reference: each segment escaped, so that
    /// <c>registry:5000/app@sha256:…</c> is not read as a URI with the scheme <c>registry</c>.
    /// </summary>
    public static string UriReference(string path) =>
        string.Join('/', path.TrimStart('/').Split('/').Select(Uri.EscapeDataString));
}
