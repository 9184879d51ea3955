namespace Pipelines.Scanning;

/// <summary>What kind of problem a <see cref="Finding"/> is.</summary>
public enum FindingKind
{
    Vulnerability,
    Secret,
    Misconfiguration,
}
