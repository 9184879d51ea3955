namespace Pipelines.Scanning;

/// <summary>One source's CVSS vectors and scores for a vulnerability; any subset can be present.</summary>
public sealed record CvssScore
{
    public string? V2Vector { get; init; }
    public double? V2Score { get; init; }
    public string? V3Vector { get; init; }
    public double? V3Score { get; init; }
    public string? V40Vector { get; init; }
    public double? V40Score { get; init; }
}
