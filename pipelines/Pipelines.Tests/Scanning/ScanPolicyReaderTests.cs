using Pipelines.Scanning;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Scanning;

public class ScanPolicyReaderTests
{
    private const string PolicyPath = ".gitops/scan-policy.yaml";

    [Fact]
    public void A_policy_with_ids_packages_reasons_and_dates_is_read()
    {
        var yaml = """
            ignore:
              - id: CVE-2019-14697
                package: musl
                reason: the service never calls the affected regex functions
                expires: 2027-01-31
              - id: aws-access-key-id
                reason: a documented fake key in a test fixture
            """;

        var policy = ScanPolicyReader.Parse(yaml, PolicyPath);

        Assert.Equal(2, policy.Entries.Count);
        Assert.Equal(new ScanPolicyEntry("CVE-2019-14697", "musl", "the service never calls the affected regex functions", new DateOnly(2027, 1, 31), $"{PolicyPath}:2"), policy.Entries[0]);
        Assert.Null(policy.Entries[1].Package);
        Assert.Null(policy.Entries[1].Expires);
        Assert.Equal($"{PolicyPath}:6", policy.Entries[1].Source);
    }

    [Fact]
    public void An_empty_policy_file_accepts_nothing()
    {
        Assert.Empty(ScanPolicyReader.Parse("", PolicyPath).Entries);
        Assert.Empty(ScanPolicyReader.Parse("ignore:\n", PolicyPath).Entries);
    }

    [Theory]
    [InlineData("ignore:\n  - id: CVE-1\n    package: musl\n", 2, 5, "has no 'reason'")]
    [InlineData("ignore:\n  - id: CVE-1\n    reason: ok\n  - id: CVE-2\n    reason: \"\"\n", 4, 5, "CVE-2 has no 'reason'")]
    [InlineData("ignore:\n  - id: CVE-1\n    reason: ok\n    expires: next year\n", 4, 14, "'expires: next year' of CVE-1 is not a date")]
    [InlineData("ignore:\n  - id: CVE-1\n    reason: ok\n    expires: 2026-02-30\n", 4, 14, "is not a date")]
    [InlineData("ignore:\n  - id: CVE-1\n    reason: ok\n    expiry: 2026-01-01\n", 4, 5, "unknown key 'expiry'")]
    [InlineData("ignores:\n  - id: CVE-1\n", 1, 1, "unknown key 'ignores'")]
    [InlineData("ignore:\n  - reason: no id\n", 2, 5, "has no 'id'")]
    [InlineData("ignore:\n  - CVE-1\n", 2, 5, "must be a mapping")]
    [InlineData("ignore:\n  - id: [CVE-1, CVE-2]\n    reason: x\n", 2, 9, "'id' must be a single value")]
    [InlineData("ignore:\n  - id: CVE-1\n   reason: bad indent\n", 3, 0, "not valid YAML")]
    public void A_malformed_entry_is_an_error_naming_the_file_line_and_column(string yaml, int line, int column, string reason)
    {
        var error = Assert.Throws<PipelineException>(() => ScanPolicyReader.Parse(yaml, PolicyPath));

        // Column 0: a YAML syntax error, whose column is the parser's guess; the line is what counts there.
        Assert.StartsWith(column == 0 ? $"{PolicyPath}:{line}:" : $"{PolicyPath}:{line}:{column}:", error.Message);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(PolicyPath)}:\d+:\d+: ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_missing_policy_file_named_explicitly_is_an_error()
    {
        var error = Assert.Throws<PipelineException>(() => ScanPolicyReader.ReadFile("/nonexistent/scan-policy.yaml"));

        Assert.Contains("--scan-policy", error.Message);
    }

    [Fact]
    public void A_trivyignore_file_gives_entries_with_their_expiry()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine(".trivyignore");
        File.WriteAllText(path, "# accepted\nCVE-2019-1549\n\nCVE-2019-1551 exp:2026-01-01  # old\n");

        var policy = ScanPolicyReader.ReadTrivyIgnore(path);

        Assert.Equal(["CVE-2019-1549", "CVE-2019-1551"], policy.Entries.Select(e => e.Id));
        Assert.Equal(new DateOnly(2026, 1, 1), policy.Entries[1].Expires);
        Assert.Equal($"{path}:4", policy.Entries[1].Source);
    }

    [Fact]
    public void A_bad_date_in_trivyignore_names_the_line()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine(".trivyignore");
        File.WriteAllText(path, "CVE-1\nCVE-2 exp:soon\n");

        var error = Assert.Throws<PipelineException>(() => ScanPolicyReader.ReadTrivyIgnore(path));

        Assert.StartsWith($"{path}:2:", error.Message);
    }
}
