using Pipelines.Scanning;

namespace Pipelines.Tests.Scanning;

public sealed class ScanSummaryWriterTests
{
    private static Finding Vulnerability(string id, string package) =>
        new(FindingKind.Vulnerability, id, Severity.Critical, "image (alpine 3.9)", "os-pkgs", package, "1.0", "1.1", "title", null, 9.8, null);

    [Fact]
    public void The_summary_says_what_a_row_counts_and_gives_distinct_IDs_too()
    {
        List<Finding> remaining = [Vulnerability("CVE-2019-14697", "musl"), Vulnerability("CVE-2019-14697", "musl-utils"), Vulnerability("CVE-2020-1", "zlib")];
        var decision = new GateDecision(false, Severity.High, SeverityCounts.Of(remaining), remaining, remaining, [], []);

        var summary = ScanSummaryWriter.Write("registry.test/app@sha256:abc", decision, "0.74.0");

        Assert.Contains("| findings | 3 | 0 | 0 | 0 | 0 |", summary);
        Assert.Contains("| distinct IDs | 2 | 0 | 0 | 0 | 0 |", summary);
        Assert.Contains("A finding is one (vulnerability, package) pair", summary);
    }
}
