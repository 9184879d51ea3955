namespace Pipelines.Scanning;

/// <summary>A configuration check (<c>Results[].Misconfigurations[]</c>); only <c>FAIL</c> is a finding.</summary>
/// <param name="Id">e.g. <c>DS-0002</c> (v0.69+) or <c>DS002</c> (older, with <see cref="AvdId"/>).</param>
/// <param name="Status"><c>PASS</c>, <c>FAIL</c> or <c>EXCEPTION</c>.</param>
internal sealed record DetectedMisconfiguration(
    string Id,
    string? AvdId,
    string? Title,
    string? Message,
    string? Resolution,
    Severity Severity,
    string? PrimaryUrl,
    string Status)
{
    /// <summary>True when the check failed; only failures are findings.</summary>
    public bool IsFailure => string.Equals(Status, "FAIL", StringComparison.OrdinalIgnoreCase);
}
