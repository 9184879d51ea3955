namespace Pipelines.Hosts;

/// <summary>How one target ended, with the notes it added.</summary>
internal sealed record TargetOutcome(
    string Name,
    TargetStatus Status,
    TimeSpan Duration,
    string? Reason,
    IReadOnlyList<KeyValuePair<string, string>> Notes);
