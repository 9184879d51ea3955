namespace Pipelines.Scanning;

/// <summary>Trivy's severity levels, ordered as Trivy orders them (UNKNOWN lowest).</summary>
public enum Severity
{
    Unknown = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
