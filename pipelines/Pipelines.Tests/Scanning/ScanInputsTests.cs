using Pipelines.Logging;
using Pipelines.Scanning;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.Scanning;

public sealed class ScanInputsTests : IDisposable
{
    private readonly TempDirectory _root = new("scan-inputs");
    private readonly FakeTrivy _trivy = new();

    public void Dispose()
    {
        _root.Dispose();
        _trivy.Dispose();
    }

    private async Task<Fingerprint> Declare(ScanPolicy? policy = null, Severity failOn = Severity.High)
    {
        var inputs = new Fingerprint(_root.Path);
        var options = new TrivyOptions("127.0.0.1:5000/app@sha256:" + new string('a', 64), _root.Combine("scan"), _root.Combine("cache"))
        {
            TrivyPath = _trivy.Executable,
            FailOn = failOn,
            Policy = policy ?? ScanPolicy.Empty,
        };
        var subject = new ScanSubject(options.Image, "sha256:" + new string('a', 64), IsLocal: false);
        await ScanInputs.DeclareAsync(inputs, options, subject, TimeSpan.FromDays(7), new TrivyScanner(new MemoryLog()), CancellationToken.None);
        return inputs;
    }

    [Fact]
    public async Task A_cached_verdict_expires_with_the_databases_next_update_or_the_maximum_scan_age()
    {
        var next = new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);
        _trivy.WithDatabase("0.74.0", next.AddDays(-1), next);

        var inputs = await Declare();

        Assert.Equal(next, inputs.ExpiresAt);
        Assert.Equal("the vulnerability DB's next update", inputs.ExpiryReason);
        Assert.Equal(TimeSpan.FromDays(7), inputs.MaximumAge);
        Assert.Equal("--max-scan-age", inputs.MaximumAgeReason);
        Assert.Contains("--cache-dir", _trivy.Arguments("version"));
    }

    [Fact]
    public async Task A_policy_entry_that_lapses_first_bounds_the_verdict_and_the_gate_and_trivy_are_inputs()
    {
        _trivy.WithDatabase("0.74.0", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var policy = new ScanPolicy([new ScanPolicyEntry("CVE-2026-1", null, "accepted", DateOnly.FromDateTime(DateTime.UtcNow), "policy.yaml:1")]);

        var plain = await Declare();
        var withPolicy = await Declare(policy);
        var stricter = await Declare(failOn: Severity.Medium);
        _trivy.WithDatabase("0.75.0", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var newerTrivy = await Declare();

        Assert.Equal("the policy entry CVE-2026-1 lapses", withPolicy.ExpiryReason);
        Assert.Contains("policy", withPolicy.ChangedSince(plain.Entries));
        Assert.Contains("fail-on", stricter.ChangedSince(plain.Entries));
        Assert.Contains("tool:trivy", newerTrivy.ChangedSince(plain.Entries));
    }
}
