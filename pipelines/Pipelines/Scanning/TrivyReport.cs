namespace Pipelines.Scanning;

/// <summary>
/// A Trivy JSON report (<c>--format json</c>, SchemaVersion 2), reduced to what the gate and the reports use.
/// Read it with <see cref="TrivyReportReader"/>.
/// </summary>
internal sealed record TrivyReport
{
    /// <summary>The report format version; only 2 is read.</summary>
    public required int SchemaVersion { get; init; }
    /// <summary><c>Trivy.Version</c>; null in reports before v0.69.</summary>
    public string? TrivyVersion { get; init; }
    /// <summary>When Trivy produced the report.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>What was scanned, as given to Trivy.</summary>
    public required string ArtifactName { get; init; }
    /// <summary><c>container_image</c>, <c>filesystem</c>, <c>repository</c>, …</summary>
    public string? ArtifactType { get; init; }
    /// <summary>Trivy's identifier of the scanned artifact.</summary>
    public string? ArtifactId { get; init; }
    /// <summary>The image's OS family and release; null when Trivy detected none.</summary>
    public DetectedOs? Os { get; init; }
    /// <summary>The scanned image's config digest.</summary>
    public string? ImageId { get; init; }
    /// <summary>The image's tags.</summary>
    public IReadOnlyList<string> RepoTags { get; init; } = [];
    /// <summary>Empty for images scanned from a tar.</summary>
    public IReadOnlyList<string> RepoDigests { get; init; } = [];
    /// <summary>Empty when Trivy left <c>Results</c> out (nothing to scan).</summary>
    public IReadOnlyList<TrivyResult> Results { get; init; } = [];

    /// <summary>Every vulnerability, secret, failed check and licence, in report order.</summary>
    public IReadOnlyList<Finding> Findings() =>
        Results.SelectMany(result =>
            result.Vulnerabilities.Select(v => new Finding(
                    FindingKind.Vulnerability, v.Id, v.Severity, result.Target, result.Class, v.PackageName,
                    v.InstalledVersion, v.FixedVersion, v.Title, v.PrimaryUrl, v.CvssV3Score, null))
                .Concat(result.Secrets.Select(s => new Finding(
                    FindingKind.Secret, s.RuleId, s.Severity, result.Target, result.Class, null,
                    null, null, s.Title, null, null, s.StartLine)))
                .Concat(result.Misconfigurations.Where(m => m.IsFailure).Select(m => new Finding(
                    FindingKind.Misconfiguration, m.Id, m.Severity, result.Target, result.Class, null,
                    null, null, m.Title, m.PrimaryUrl, null, null)))
                // A licence counts like any other kind, at Trivy's severity for its category; the policy matches it by
                // licence name and package, like a vulnerability.
                .Concat(result.Licenses.Select(l => new Finding(
                    FindingKind.License, l.Name, l.Severity, result.Target, result.Class, l.PackageName ?? l.FilePath,
                    null, null, l.Category is null ? $"licence {l.Name}" : $"licence {l.Name} ({l.Category})", l.Link, null, null))))
            .ToList();

    /// <summary>Counts of every finding, before any policy.</summary>
    public SeverityCounts Counts() => SeverityCounts.Of(Findings());
}
