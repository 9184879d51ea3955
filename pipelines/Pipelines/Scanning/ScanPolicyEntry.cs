namespace Pipelines.Scanning;

/// <summary>
/// One accepted risk: a finding ID (optionally only in one package) that the gate ignores, with the
/// reason someone wrote down, until an optional expiry date.
/// </summary>
/// <param name="Package">For vulnerabilities the package name; for secrets and checks the target (file). Null: any.</param>
/// <param name="Expires">The last day the entry applies; null: no expiry.</param>
/// <param name="Source">Where the entry came from, as <c>file:line</c>.</param>
internal sealed record ScanPolicyEntry(string Id, string? Package, string Reason, DateOnly? Expires, string Source)
{
    /// <summary>True when the acceptance has lapsed, so the finding counts again.</summary>
    public bool IsExpired(DateOnly today) => Expires is { } last && today > last;

    /// <summary>True when this entry accepts the finding.</summary>
    public bool Matches(Finding finding) =>
        string.Equals(Id, finding.Id, StringComparison.OrdinalIgnoreCase)
        && (Package is null || string.Equals(Package, finding.Package ?? finding.Target, StringComparison.Ordinal));

    /// <summary>One line naming the accepted finding and its reason, for logs.</summary>
    public override string ToString() =>
        $"{Id}{(Package is null ? "" : $" in {Package}")} ({Source}{(Expires is { } e ? $", expires {e:yyyy-MM-dd}" : "")})";
}
