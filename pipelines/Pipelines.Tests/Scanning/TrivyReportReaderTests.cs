using System.Text.Json.Nodes;
using Pipelines.Scanning;

namespace Pipelines.Tests.Scanning;

public class TrivyReportReaderTests
{
    [Theory]
    [MemberData(nameof(TrivyFixtures.JsonGoldens), MemberType = typeof(TrivyFixtures))]
    public void Every_golden_report_has_the_counts_per_severity_its_README_gives(string fixture)
    {
        Assert.True(TrivyFixtures.ExpectedCounts.TryGetValue(fixture, out var expected), $"{fixture} has no expected counts; add them from the README.");

        var report = TrivyFixtures.Read(fixture);

        Assert.Equal(expected, report.Counts());
    }

    [Theory]
    [MemberData(nameof(TrivyFixtures.JsonGoldens), MemberType = typeof(TrivyFixtures))]
    public void Every_golden_report_is_read_without_losing_a_field_the_model_has(string fixture)
    {
        var raw = JsonNode.Parse(File.ReadAllText(TrivyFixtures.PathOf(fixture)))!.AsObject();

        var report = TrivyFixtures.Read(fixture);

        Assert.Equal(2, report.SchemaVersion);
        Assert.Equal(S(raw, "ArtifactName"), report.ArtifactName);
        Assert.Equal(S(raw, "ArtifactType"), report.ArtifactType);
        Assert.Equal(S(raw["Trivy"], "Version"), report.TrivyVersion);
        Assert.Equal(S(raw["Metadata"]?["OS"], "Family"), report.Os?.Family);
        Assert.Equal(S(raw["Metadata"]?["OS"], "Name"), report.Os?.Name);
        Assert.Equal(S(raw["Metadata"], "ImageID"), report.ImageId);
        var results = raw["Results"]?.AsArray() ?? [];
        Assert.Equal(results.Count, report.Results.Count);
        for (var r = 0; r < results.Count; r++)
        {
            var rawResult = results[r]!;
            var result = report.Results[r];
            Assert.Equal(S(rawResult, "Target"), result.Target);
            Assert.Equal(S(rawResult, "Class"), result.Class);
            Assert.Equal(S(rawResult, "Type"), result.Type);

            var vulnerabilities = rawResult["Vulnerabilities"]?.AsArray() ?? [];
            Assert.Equal(vulnerabilities.Count, result.Vulnerabilities.Count);
            for (var v = 0; v < vulnerabilities.Count; v++)
            {
                var expected = vulnerabilities[v]!;
                var actual = result.Vulnerabilities[v];
                Assert.Equal(S(expected, "VulnerabilityID"), actual.Id);
                Assert.Equal(S(expected, "PkgName"), actual.PackageName);
                Assert.Equal(S(expected, "InstalledVersion"), actual.InstalledVersion);
                Assert.Equal(S(expected, "FixedVersion"), actual.FixedVersion);
                Assert.Equal(S(expected, "Severity"), actual.Severity.ToTrivyName());
                Assert.Equal(S(expected, "Status"), actual.Status);
                Assert.Equal(S(expected, "Title"), actual.Title);
                Assert.Equal(S(expected, "PrimaryURL"), actual.PrimaryUrl);
                Assert.Equal(S(expected, "PkgPath"), actual.PackagePath);
                var cvss = expected["CVSS"]?.AsObject() ?? [];
                Assert.Equal(cvss.Select(c => c.Key).Order(), actual.Cvss.Keys.Order());
                foreach (var (source, scores) in cvss)
                {
                    Assert.Equal(D(scores, "V3Score"), actual.Cvss[source].V3Score);
                    Assert.Equal(D(scores, "V2Score"), actual.Cvss[source].V2Score);
                    Assert.Equal(S(scores, "V3Vector"), actual.Cvss[source].V3Vector);
                }
            }

            var secrets = rawResult["Secrets"]?.AsArray() ?? [];
            Assert.Equal(secrets.Count, result.Secrets.Count);
            for (var s = 0; s < secrets.Count; s++)
            {
                Assert.Equal(S(secrets[s], "RuleID"), result.Secrets[s].RuleId);
                Assert.Equal(S(secrets[s], "Severity"), result.Secrets[s].Severity.ToTrivyName());
                Assert.Equal((int)secrets[s]!["StartLine"]!, result.Secrets[s].StartLine);
                Assert.Equal((int)secrets[s]!["EndLine"]!, result.Secrets[s].EndLine);
                Assert.Equal(S(secrets[s], "Match"), result.Secrets[s].Match);
            }

            var checks = rawResult["Misconfigurations"]?.AsArray() ?? [];
            Assert.Equal(checks.Count, result.Misconfigurations.Count);
            for (var m = 0; m < checks.Count; m++)
            {
                Assert.Equal(S(checks[m], "ID"), result.Misconfigurations[m].Id);
                Assert.Equal(S(checks[m], "Status"), result.Misconfigurations[m].Status);
                Assert.Equal(S(checks[m], "Severity"), result.Misconfigurations[m].Severity.ToTrivyName());
            }
        }
    }

    [Fact]
    public void A_vulnerability_without_a_fix_has_no_fixed_version_and_keeps_its_status()
    {
        var report = TrivyFixtures.Read("debian-buster.json.golden");

        var bash = report.Results.SelectMany(r => r.Vulnerabilities).Single(v => v.Id == "CVE-2019-18276");

        Assert.Null(bash.FixedVersion);
        Assert.Equal("affected", bash.Status);
        Assert.Equal(Severity.Low, bash.Severity);
    }

    [Fact]
    public void A_critical_without_a_title_and_a_non_CVE_id_are_read()
    {
        var musl = TrivyFixtures.Read("alpine-39.json.golden").Findings().First(f => f.Id == "CVE-2019-14697");
        var suse = TrivyFixtures.Read("opensuse-tumbleweed.json.golden").Findings().Single();

        Assert.Null(musl.Title);
        Assert.Equal(Severity.Critical, musl.Severity);
        Assert.Equal("openSUSE-SU-2024:13065-1", suse.Id);
        Assert.Null(suse.CvssScore);
    }

    [Fact]
    public void Secrets_keep_their_masked_match_and_lines()
    {
        var secret = TrivyFixtures.Read("secrets.json.golden").Results.Single().Secrets.First();

        Assert.Equal("aws-access-key-id", secret.RuleId);
        Assert.Equal(3, secret.StartLine);
        Assert.Contains("****", secret.Match);
        Assert.DoesNotContain("AKIA", secret.Match);
    }

    [Fact]
    public void Only_failed_configuration_checks_are_findings()
    {
        var json = """
            {"SchemaVersion":2,"ArtifactName":"repo","Results":[{"Target":"Dockerfile","Class":"config","Type":"dockerfile",
              "Misconfigurations":[
                {"ID":"DS-0002","Severity":"HIGH","Status":"FAIL"},
                {"ID":"DS-0001","Severity":"CRITICAL","Status":"PASS"},
                {"ID":"DS-0005","Severity":"CRITICAL","Status":"EXCEPTION"}]}]}
            """;

        var report = TrivyReportReader.Parse(json, "inline");

        Assert.Equal(new SeverityCounts(0, 1, 0, 0, 0), report.Counts());
    }

    [Fact]
    public void Null_fields_are_read_like_missing_ones()
    {
        var json = """
            {"SchemaVersion":2,"ArtifactName":"img","Metadata":null,"Results":[{"Target":"t","Class":"os-pkgs","Type":null,
              "Vulnerabilities":[{"VulnerabilityID":"CVE-1","PkgName":"p","InstalledVersion":"1","FixedVersion":null,"Severity":"HIGH",
                "Title":null,"CVSS":null,"Status":null}],"Secrets":null}]}
            """;

        var report = TrivyReportReader.Parse(json, "inline");

        var vulnerability = report.Results.Single().Vulnerabilities.Single();
        Assert.Null(vulnerability.FixedVersion);
        Assert.Null(vulnerability.Title);
        Assert.Empty(vulnerability.Cvss);
        Assert.Null(report.Os);
        Assert.Empty(report.Results.Single().Secrets);
    }

    [Theory]
    [InlineData("[]", "pre-v0.20 format")]
    [InlineData("""{"SchemaVersion":1,"ArtifactName":"x"}""", "SchemaVersion 1")]
    [InlineData("""{"ArtifactName":"x"}""", "SchemaVersion (missing)")]
    [InlineData("{\"SchemaVersion\":2, \"Results\": [", "not valid JSON")]
    [InlineData("""{"SchemaVersion":2,"Results":[{"Target":"t","Vulnerabilities":[{"PkgName":"p","Severity":"HIGH"}]}]}""", "no VulnerabilityID")]
    public void A_report_in_another_shape_is_rejected_naming_the_file(string json, string reason)
    {
        var error = Assert.Throws<PipelineException>(() => TrivyReportReader.Parse(json, "artifacts/scan/trivy.json"));

        Assert.Contains("artifacts/scan/trivy.json", error.Message);
        Assert.Contains(reason, error.Message);
    }

    private static string? S(JsonNode? node, string name) => node?[name] is JsonValue value ? value.ToString() : null;

    private static double? D(JsonNode? node, string name) => node?[name] is JsonValue value ? (double)value : null;
}
