namespace Pipelines.Scanning;

/// <summary>Trivy's severity levels, ordered as Trivy orders them (UNKNOWN lowest).</summary>
internal enum Severity
{
    /// <summary>Trivy could not rate it.</summary>
    Unknown = 0,
    /// <summary>Low severity.</summary>
    Low = 1,
    /// <summary>Medium severity.</summary>
    Medium = 2,
    /// <summary>High severity; the default gate.</summary>
    High = 3,
    /// <summary>Critical severity.</summary>
    Critical = 4,
}
