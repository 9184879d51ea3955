using System.Text.Json.Nodes;
using Pipelines.Logging;
using Pipelines.Scanning;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Scanning;

/// <summary>
/// What the gate makes of a licence report (<c>--scan-scanners license</c>) and of a report that names another image
/// than the one scanned, through the stand-in trivy as a scan runs.
/// </summary>
public sealed class TrivyReportSubjectTests : IDisposable
{
    private const string Image = TrivyScannerTests.Image;

    // Trivy's JSON for license scanning (docs "License Scanning", pkg/types DetectedLicense): a `license` result per
    // package source, Licenses[] with Severity (from the category: forbidden CRITICAL, restricted HIGH, reciprocal
    // MEDIUM, notice LOW, unknown UNKNOWN), Category, PkgName, FilePath, Name, Confidence and Link; and a
    // `license-file` result for licence files found on their own. No real report is among the shared fixtures.
    private const string LicenceReport = """
        {
          "SchemaVersion": 2,
          "CreatedAt": "2026-11-21T06:00:00Z",
          "ArtifactName": "IMAGE",
          "ArtifactType": "container_image",
          "Metadata": { "OS": { "Family": "debian", "Name": "12.8" }, "ImageID": "sha256:5b1f650e1376d79fa3a65df4a154ea5166def95154b52c1c1097dfd8fc7d58eb" },
          "Results": [
            {
              "Target": "Java",
              "Class": "license",
              "Licenses": [
                { "Severity": "MEDIUM", "Category": "reciprocal", "PkgName": "org.eclipse.jetty:jetty-util", "FilePath": "app/lib/jetty-util-9.4.jar", "Name": "EPL-1.0", "Confidence": 1, "Link": "" },
                { "Severity": "LOW", "Category": "notice", "PkgName": "com.google.guava:guava", "FilePath": "app/lib/guava-33.jar", "Name": "Apache-2.0", "Confidence": 1, "Link": "" }
              ]
            },
            {
              "Target": "Loose File License(s)",
              "Class": "license-file",
              "Licenses": [
                { "Severity": "UNKNOWN", "Category": "unknown", "FilePath": "/usr/share/doc/tool/COPYING", "Name": "LicenseRef-unknown", "Confidence": 0.9, "Link": "" }
              ]
            }
          ]
        }
        """;

    private readonly TempDirectory _work = new("scan-subject-test");
    private readonly FakeTrivy _trivy = new();
    private readonly MemoryLog _log = new();

    public void Dispose()
    {
        _trivy.Dispose();
        _work.Dispose();
    }

    private TrivyOptions Options() => new(Image, _work.Combine("artifacts", "scan"), _work.Combine(".gitops", "cache", "trivy"))
    {
        TrivyPath = _trivy.Executable,
        WorkingDirectory = _work.Path,
        Scanners = ["vuln", "secret", "license"],
    };

    private Task<ScanResult> Scan(TrivyOptions options) => new TrivyScanner(_log).ScanAsync(options, CancellationToken.None);

    private string ReportFile(string json, string name = "licences.json")
    {
        var path = _work.Combine(name);
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task A_reciprocal_licence_fails_the_gate_at_medium_like_any_medium_finding()
    {
        _trivy.WithReportFile(ReportFile(LicenceReport));

        var result = await Scan(Options() with { FailOn = Severity.Medium });

        Assert.False(result.Passed);
        var deciding = Assert.Single(result.Decision.Deciding);
        Assert.Equal((FindingKind.License, "EPL-1.0", Severity.Medium, "org.eclipse.jetty:jetty-util"), (deciding.Kind, deciding.Id, deciding.Severity, deciding.Package));
        Assert.Equal(new SeverityCounts(0, 0, 1, 1, 1), result.Decision.Counts);
        Assert.Contains("EPL-1.0  licence of org.eclipse.jetty:jetty-util  licence EPL-1.0 (reciprocal)  (MEDIUM)", result.FailureMessage);
        Assert.Contains("EPL-1.0", File.ReadAllText(result.SummaryPath));
        var sarif = JsonNode.Parse(File.ReadAllText(result.SarifPath))!;
        Assert.Contains(sarif["runs"]![0]!["tool"]!["driver"]!["rules"]!.AsArray(), r => (string?)r!["id"] == "EPL-1.0" && (string?)r["name"] == "License");
    }

    [Fact]
    public async Task Licences_below_the_threshold_pass_and_the_policy_accepts_one_by_name_and_package()
    {
        _trivy.WithReportFile(ReportFile(LicenceReport));

        var high = await Scan(Options() with { FailOn = Severity.High });
        var accepted = await Scan(Options() with
        {
            FailOn = Severity.Medium,
            Policy = new ScanPolicy([new ScanPolicyEntry("EPL-1.0", "org.eclipse.jetty:jetty-util", "legal approved EPL for jetty", null, "policy.yaml:2")]),
        });

        Assert.True(high.Passed);
        Assert.True(accepted.Passed);
        Assert.Equal("EPL-1.0", Assert.Single(accepted.Decision.Ignored).Finding.Id);
    }

    [Fact]
    public async Task A_report_about_another_image_is_refused_naming_both_and_kept_aside()
    {
        var other = "127.0.0.1:5000/linkcheck@sha256:" + new string('f', 64);
        _trivy.WithReportAsIs(ReportFile(LicenceReport.Replace("IMAGE", other)));

        var error = await Assert.ThrowsAsync<PipelineException>(() => Scan(Options()));

        Assert.Contains($"is about {other}, not the image scanned, {Image}", error.Message);
        Assert.False(File.Exists(Options().ReportPath), "a report about another image stayed as trivy.json");
        Assert.True(File.Exists(Options().ReportPath + ".incomplete"));
    }

    [Fact]
    public async Task A_report_naming_no_image_is_refused()
    {
        var golden = JsonNode.Parse(File.ReadAllText(TrivyFixtures.PathOf("sl-micro-rancher5.4.json.golden")))!;
        golden["ArtifactName"] = "";
        _trivy.WithReportAsIs(ReportFile(golden.ToJsonString(), "unnamed.json"));

        var error = await Assert.ThrowsAsync<PipelineException>(() => Scan(Options()));

        Assert.Contains($"is about no image (its ArtifactName is empty), not the image scanned, {Image}", error.Message);
    }

    [Fact]
    public async Task The_same_digest_under_another_name_is_the_same_image()
    {
        // A registry mirror's name for the same content: the digest is what the verdict is about.
        _trivy.WithReportAsIs(ReportFile(LicenceReport.Replace("IMAGE", "mirror.example.com/shortlink@" + TrivyScanner.DigestOf(Image))));

        var result = await Scan(Options() with { FailOn = Severity.Critical });

        Assert.True(result.Passed);
    }
}
