namespace Pipelines.Scanning;

/// <summary>A completed scan: what was scanned, with which Trivy, what was found and what the gate decided.</summary>
/// <param name="RanInContainer">True when the Docker fallback ran Trivy's image.</param>
/// <param name="SbomPath">The CycloneDX SBOM, when one was asked for.</param>
internal sealed record ScanResult(
    string Image,
    string ImageDigest,
    TrivyVersion Trivy,
    TrivyReport Report,
    GateDecision Decision,
    DateTimeOffset ScannedAt,
    bool RanInContainer,
    string ReportPath,
    string SarifPath,
    string SummaryPath,
    string? SbomPath)
{
    /// <summary>True when the gate let the image through.</summary>
    public bool Passed => Decision.Passed;

    /// <summary>The record the state keeps for Deploy.</summary>
    public ScanVerdict ToVerdict() => new(ImageDigest, Image, Passed, Decision.Counts, Trivy.Version, ScannedAt);

    /// <summary>The failure message when the gate failed; null when it passed.</summary>
    public string? FailureMessage => Passed ? null : Decision.FailureMessage(Image, SummaryPath);
}
