using System.Text.Json.Nodes;
using Pipelines.Scanning;
using Pipelines.Tests.Support;
using Pipelines.Tests.Support.JsonSchema;

namespace Pipelines.Tests.Scanning;

public class SarifWriterTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);
    private static readonly string[] Levels = ["none", "note", "warning", "error"];

    public static TheoryData<string, string> GoldensAndSchemas()
    {
        var data = new TheoryData<string, string>();
        foreach (var fixture in TrivyFixtures.JsonGoldens())
            foreach (var schema in new[] { "sarif-schema-2.1.0.json", "sarif-schema-2.1.0.draft-07.json" })
                data.Add(fixture, schema);
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldensAndSchemas))]
    public void The_SARIF_for_every_golden_validates_against_the_SARIF_schema(string fixture, string schema)
    {
        var validator = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "sarif", schema));

        var sarif = JsonNode.Parse(Sarif(fixture, Policy("CVE-2019-14697")));

        var errors = validator.Validate(sarif);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(TrivyFixtures.JsonGoldens), MemberType = typeof(TrivyFixtures))]
    public void The_SARIF_has_what_GitHub_code_scanning_needs(string fixture)
    {
        var report = TrivyFixtures.Read(fixture);

        var sarif = JsonNode.Parse(Sarif(fixture, ScanPolicy.Empty))!;

        // The structure the schema demands for what is emitted, checked directly as well.
        Assert.Equal("2.1.0", (string?)sarif["version"]);
        Assert.StartsWith("https://", (string?)sarif["$schema"]);
        var run = Assert.Single(sarif["runs"]!.AsArray())!;
        Assert.Equal("Trivy", (string?)run["tool"]!["driver"]!["name"]);
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
        var results = run["results"]!.AsArray();
        var findings = report.Findings();
        Assert.Equal(findings.Count, results.Count);
        // One rule per finding ID.
        Assert.Equal(findings.Select(f => f.Id).Distinct().Order(), rules.Select(r => (string)r!["id"]!).Order());
        Assert.Equal(rules.Count, rules.Select(r => (string)r!["id"]!).Distinct().Count());
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i]!;
            var finding = findings[i];
            Assert.Equal(finding.Id, (string?)result["ruleId"]);
            Assert.Equal(finding.Id, (string?)rules[(int)result["ruleIndex"]!]!["id"]);
            Assert.Contains((string)result["level"]!, Levels);
            Assert.Equal(SarifWriter.Level(finding.Severity), (string?)result["level"]);
            Assert.False(string.IsNullOrEmpty((string?)result["message"]!["text"]));
            var location = Assert.Single(result["locations"]!.AsArray())!["physicalLocation"]!;
            Assert.False(string.IsNullOrEmpty((string?)location["artifactLocation"]!["uri"]));
            Assert.True((int)location["region"]!["startLine"]! >= 1);
        }
        foreach (var rule in rules)
        {
            var score = double.Parse((string)rule!["properties"]!["security-severity"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(score, 0.0, 10.0);
        }
    }

    [Theory]
    [InlineData(Severity.Critical, "error")]
    [InlineData(Severity.High, "error")]
    [InlineData(Severity.Medium, "warning")]
    [InlineData(Severity.Low, "note")]
    [InlineData(Severity.Unknown, "note")]
    internal void The_level_follows_the_severity_as_Trivy_maps_it(Severity severity, string level)
    {
        Assert.Equal(level, SarifWriter.Level(severity));
    }

    [Fact]
    public void Security_severity_is_the_CVSS_v3_score_else_a_fixed_value_per_severity()
    {
        var alpine = JsonNode.Parse(Sarif("alpine-310.json.golden", ScanPolicy.Empty))!;
        var suse = JsonNode.Parse(Sarif("opensuse-tumbleweed.json.golden", ScanPolicy.Empty))!;

        var rule = Rule(alpine, "CVE-2019-1549");
        Assert.Equal("5.3", (string?)rule["properties"]!["security-severity"]);
        Assert.Equal("5.5", (string?)Rule(suse, "openSUSE-SU-2024:13065-1")["properties"]!["security-severity"]);
    }

    [Fact]
    public void The_rules_match_those_of_Trivys_own_SARIF_for_the_same_scan()
    {
        var ours = JsonNode.Parse(Sarif("alpine-310.json.golden", ScanPolicy.Empty))!["runs"]![0]!;
        var trivy = JsonNode.Parse(File.ReadAllText(TrivyFixtures.PathOf("alpine-310.sarif.golden")))!["runs"]![0]!;

        string[] Ids(JsonNode run) => run["tool"]!["driver"]!["rules"]!.AsArray().Select(r => (string)r!["id"]!).Order().ToArray();
        string[] ResultLevels(JsonNode run) => run["results"]!.AsArray().Select(r => $"{r!["ruleId"]}:{r["level"]}").Order().ToArray();
        Assert.Equal(Ids(trivy), Ids(ours));
        Assert.Equal(ResultLevels(trivy), ResultLevels(ours));
        Assert.Equal("OsPackageVulnerability", (string?)Rule(ours.Root, "CVE-2019-1549")["name"]);
    }

    [Fact]
    public void A_finding_the_policy_accepted_is_kept_as_a_suppressed_result_with_the_reason()
    {
        var sarif = JsonNode.Parse(Sarif("alpine-39.json.golden", Policy("CVE-2019-14697")))!;

        var suppressed = sarif["runs"]![0]!["results"]!.AsArray().Where(r => r!["suppressions"] is not null).ToList();

        Assert.Equal(2, suppressed.Count);
        Assert.All(suppressed, r => Assert.Equal("CVE-2019-14697", (string?)r!["ruleId"]));
        Assert.Contains("accepted for the test", (string?)suppressed[0]!["suppressions"]![0]!["justification"]);
    }

    [Fact]
    public void The_schema_check_rejects_a_SARIF_log_with_a_level_outside_the_enum()
    {
        var validator = JsonSchemaValidator.Load(TestPaths.SharedFile("schemas", "sarif", "sarif-schema-2.1.0.json"));
        var sarif = JsonNode.Parse(Sarif("alpine-39.json.golden", ScanPolicy.Empty))!;

        sarif["runs"]![0]!["results"]![0]!["level"] = "critical";

        Assert.NotEmpty(validator.Validate(sarif));
    }

    [Fact]
    public void An_image_reference_becomes_a_relative_uri_without_a_scheme()
    {
        Assert.Equal("127.0.0.1%3A5000/app%40sha256%3Aab", SarifWriter.UriReference("127.0.0.1:5000/app@sha256:ab"));
    }

    private static string Sarif(string fixture, ScanPolicy policy)
    {
        var report = TrivyFixtures.Read(fixture);
        var decision = SeverityGate.Evaluate(report, policy, Severity.High, Today);
        return SarifWriter.Write(report, decision, "0.74.0");
    }

    private static JsonNode Rule(JsonNode sarif, string id) =>
        sarif["runs"]![0]!["tool"]!["driver"]!["rules"]!.AsArray().Single(r => (string?)r!["id"] == id)!;

    private static ScanPolicy Policy(string id) =>
        new([new ScanPolicyEntry(id, null, "accepted for the test", null, "policy.yaml:2")]);
}
