namespace Pipelines.Scanning;

/// <summary>The accepted risks the gate applies: the scan policy file's entries and <c>.trivyignore</c>'s.</summary>
public sealed record ScanPolicy(IReadOnlyList<ScanPolicyEntry> Entries)
{
    public static ScanPolicy Empty { get; } = new([]);

    /// <summary>The file names the policy came from, for logs; empty when none.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    public ScanPolicy Merge(ScanPolicy other) =>
        new([.. Entries, .. other.Entries]) { Sources = [.. Sources, .. other.Sources] };
}
