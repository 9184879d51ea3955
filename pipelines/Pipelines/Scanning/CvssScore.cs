namespace Pipelines.Scanning;

/// <summary>One source's CVSS vectors and scores for a vulnerability; any subset can be present.</summary>
internal sealed record CvssScore
{
    /// <summary>The CVSS v2 vector; null when the source gave none.</summary>
    public string? V2Vector { get; init; }
    /// <summary>The CVSS v2 base score; null when the source gave none.</summary>
    public double? V2Score { get; init; }
    /// <summary>The CVSS v3 vector; null when the source gave none.</summary>
    public string? V3Vector { get; init; }
    /// <summary>The CVSS v3 base score; null when the source gave none.</summary>
    public double? V3Score { get; init; }
    /// <summary>The CVSS v4.0 vector; null when the source gave none.</summary>
    public string? V40Vector { get; init; }
    /// <summary>The CVSS v4.0 base score; null when the source gave none.</summary>
    public double? V40Score { get; init; }
}
