namespace Pipelines.Scanning;

/// <summary>
/// One thing the gate counts: a vulnerable package, a secret or a failed configuration check, flattened
/// from the report so that the gate, the policy, SARIF and the summary share one view.
/// </summary>
/// <param name="Id">Vulnerability ID, secret rule ID, check ID or licence name.</param>
/// <param name="Package">The package name for vulnerabilities and licences (a loose licence's file); null otherwise.</param>
/// <param name="Line">The first line for secrets; null otherwise.</param>
internal sealed record Finding(
    FindingKind Kind,
    string Id,
    Severity Severity,
    string Target,
    string? ResultClass,
    string? Package,
    string? InstalledVersion,
    string? FixedVersion,
    string? Title,
    string? PrimaryUrl,
    double? CvssScore,
    int? Line)
{
    /// <summary><c>ID  package  installed → fixed  (SEVERITY)</c>, the line the failure message lists.</summary>
    public string ToLine() => Kind switch
    {
        FindingKind.Vulnerability => $"{Id}  {Package}  {InstalledVersion} → {FixedVersion ?? "no fix"}  ({Severity.ToTrivyName()})",
        FindingKind.Secret => $"{Id}  secret in {Target}{(Line is { } l ? $":{l}" : "")}  ({Severity.ToTrivyName()})",
        FindingKind.License => $"{Id}  licence of {Package ?? Target}  {Title}  ({Severity.ToTrivyName()})",
        _ => $"{Id}  {Target}  {Title}  ({Severity.ToTrivyName()})",
    };
}
