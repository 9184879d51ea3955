using Pipelines.Scanning;

namespace Pipelines.Tests.Scanning;

public class SeverityGateTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    // alpine-39: CRITICAL 2, MEDIUM 4.
    [Theory]
    [InlineData(Severity.Critical, false, 2)]
    [InlineData(Severity.High, false, 2)]
    [InlineData(Severity.Medium, false, 6)]
    [InlineData(Severity.Low, false, 6)]
    [InlineData(Severity.Unknown, false, 6)]
    internal void The_gate_fails_on_findings_at_or_above_the_threshold(Severity failOn, bool passes, int deciding)
    {
        var decision = SeverityGate.Evaluate(TrivyFixtures.Read("alpine-39.json.golden"), ScanPolicy.Empty, failOn, Today);

        Assert.Equal(passes, decision.Passed);
        Assert.Equal(deciding, decision.Deciding.Count);
        Assert.Equal(new SeverityCounts(2, 0, 4, 0, 0), decision.Counts);
    }

    // alpine-310: MEDIUM 4 only.
    [Theory]
    [InlineData(Severity.Critical, true)]
    [InlineData(Severity.High, true)]
    [InlineData(Severity.Medium, false)]
    [InlineData(Severity.Low, false)]
    [InlineData(Severity.Unknown, false)]
    internal void Medium_findings_pass_a_high_gate_and_fail_a_medium_one(Severity failOn, bool passes)
    {
        var decision = SeverityGate.Evaluate(TrivyFixtures.Read("alpine-310.json.golden"), ScanPolicy.Empty, failOn, Today);

        Assert.Equal(passes, decision.Passed);
    }

    [Fact]
    public void A_low_finding_fails_only_a_low_or_unknown_gate()
    {
        var report = TrivyFixtures.Read("debian-buster.json.golden"); // CRITICAL 1, LOW 1
        var policy = Policy(("CVE-2019-18224", null, null)); // accept the critical

        Assert.True(SeverityGate.Evaluate(report, policy, Severity.Medium, Today).Passed);
        Assert.False(SeverityGate.Evaluate(report, policy, Severity.Low, Today).Passed);
        Assert.False(SeverityGate.Evaluate(report, policy, Severity.Unknown, Today).Passed);
    }

    [Fact]
    public void A_clean_report_and_a_report_without_results_pass_every_threshold()
    {
        foreach (var fixture in new[] { "sl-micro-rancher5.4.json.golden", "alpine-39-skip.json.golden" })
        {
            var decision = SeverityGate.Evaluate(TrivyFixtures.Read(fixture), ScanPolicy.Empty, Severity.Unknown, Today);

            Assert.True(decision.Passed, fixture);
            Assert.Equal(SeverityCounts.Zero, decision.Counts);
        }
    }

    [Fact]
    public void Secrets_and_failed_checks_decide_the_gate_like_vulnerabilities()
    {
        Assert.False(SeverityGate.Evaluate(TrivyFixtures.Read("secrets.json.golden"), ScanPolicy.Empty, Severity.High, Today).Passed);
        Assert.False(SeverityGate.Evaluate(TrivyFixtures.Read("dockerfile.json.golden"), ScanPolicy.Empty, Severity.High, Today).Passed);
        Assert.True(SeverityGate.Evaluate(TrivyFixtures.Read("dockerfile.json.golden"), ScanPolicy.Empty, Severity.Critical, Today).Passed);
    }

    [Fact]
    public void A_policy_entry_ignores_its_finding_and_the_gate_passes()
    {
        var policy = Policy(("CVE-2019-14697", null, null));

        var decision = SeverityGate.Evaluate(TrivyFixtures.Read("alpine-39.json.golden"), policy, Severity.High, Today);

        Assert.True(decision.Passed);
        Assert.Equal(2, decision.Ignored.Count);
        Assert.Equal(new SeverityCounts(0, 0, 4, 0, 0), decision.Counts);
    }

    [Fact]
    public void A_policy_entry_for_one_package_ignores_the_finding_only_in_that_package()
    {
        var policy = Policy(("CVE-2019-14697", "musl", null));

        var decision = SeverityGate.Evaluate(TrivyFixtures.Read("alpine-39.json.golden"), policy, Severity.High, Today);

        Assert.False(decision.Passed);
        Assert.Equal("musl", Assert.Single(decision.Ignored).Finding.Package);
        Assert.Equal("musl-utils", Assert.Single(decision.Deciding).Package);
    }

    [Fact]
    public void An_expired_entry_no_longer_ignores_and_is_listed()
    {
        var policy = Policy(("CVE-2019-14697", null, new DateOnly(2026, 11, 21)));

        var decision = SeverityGate.Evaluate(TrivyFixtures.Read("alpine-39.json.golden"), policy, Severity.High, Today);

        Assert.False(decision.Passed);
        Assert.Empty(decision.Ignored);
        Assert.Equal("CVE-2019-14697", Assert.Single(decision.Expired).Id);
        Assert.Contains("Expired policy entries", decision.FailureMessage("img@sha256:x", "scan/summary.md"));
    }

    [Fact]
    public void An_entry_still_applies_on_its_expiry_day()
    {
        var policy = Policy(("CVE-2019-14697", null, Today));

        var decision = SeverityGate.Evaluate(TrivyFixtures.Read("alpine-39.json.golden"), policy, Severity.High, Today);

        Assert.True(decision.Passed);
        Assert.Empty(decision.Expired);
    }

    [Fact]
    public void The_failure_message_gives_counts_and_the_top_findings_with_versions()
    {
        var decision = SeverityGate.Evaluate(TrivyFixtures.Read("fluentd-gems.json.golden"), ScanPolicy.Empty, Severity.High, Today);

        var message = decision.FailureMessage("registry.local/app@sha256:abc", "scan/summary.md");

        Assert.Contains("registry.local/app@sha256:abc", message);
        Assert.Contains("CRITICAL 1, HIGH 1, MEDIUM 0, LOW 0, UNKNOWN 0", message);
        Assert.Contains("CVE-2019-18224  libidn2-0  2.0.5-1 → 2.0.5-1+deb10u1  (CRITICAL)", message);
        Assert.Contains("activesupport  6.0.2.1 → 6.0.3.1, 5.2.4.3  (HIGH)", message);
        // Highest severity first.
        Assert.True(message.IndexOf("(CRITICAL)", StringComparison.Ordinal) < message.IndexOf("(HIGH)", StringComparison.Ordinal));
    }

    private static ScanPolicy Policy(params (string Id, string? Package, DateOnly? Expires)[] entries) =>
        new(entries.Select((e, i) => new ScanPolicyEntry(e.Id, e.Package, "accepted for the test", e.Expires, $"policy.yaml:{i + 2}")).ToList());
}
