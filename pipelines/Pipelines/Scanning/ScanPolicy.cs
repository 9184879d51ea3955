namespace Pipelines.Scanning;

/// <summary>The accepted risks the gate applies: the scan policy file's entries and <c>.trivyignore</c>'s.</summary>
internal sealed record ScanPolicy(IReadOnlyList<ScanPolicyEntry> Entries)
{
    /// <summary>No accepted risks: every finding at or above the gate fails the scan.</summary>
    public static ScanPolicy Empty { get; } = new([]);

    /// <summary>The file names the policy came from, for logs; empty when none.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Combines two policies (the policy file and <c>.trivyignore</c>), keeping both sources.</summary>
    public ScanPolicy Merge(ScanPolicy other) =>
        new([.. Entries, .. other.Entries]) { Sources = [.. Sources, .. other.Sources] };
}
