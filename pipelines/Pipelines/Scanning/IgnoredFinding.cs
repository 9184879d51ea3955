namespace Pipelines.Scanning;

/// <summary>A finding the policy accepted, and the entry that accepted it.</summary>
internal sealed record IgnoredFinding(Finding Finding, ScanPolicyEntry Entry);
