using System.Text;

namespace Pipelines.Scanning;

/// <summary>What the gate decided, and every fact it decided from.</summary>
/// <param name="FailOn">The lowest severity that fails the gate.</param>
/// <param name="Counts">Findings per severity after the policy: what the outputs report.</param>
/// <param name="Remaining">Every finding the policy did not accept, highest severity first.</param>
/// <param name="Deciding">The remaining findings at or above <paramref name="FailOn"/>: why the gate failed.</param>
/// <param name="Expired">Policy entries past their date: they no longer ignore anything.</param>
internal sealed record GateDecision(
    bool Passed,
    Severity FailOn,
    SeverityCounts Counts,
    IReadOnlyList<Finding> Remaining,
    IReadOnlyList<Finding> Deciding,
    IReadOnlyList<IgnoredFinding> Ignored,
    IReadOnlyList<ScanPolicyEntry> Expired)
{
    /// <summary>How many deciding findings the failure message lists.</summary>
    public const int TopFindings = 10;

    /// <summary>The message a failed gate ends the target with: counts, then the top findings and what to do.</summary>
    /// <param name="image">The scanned image.</param>
    /// <param name="summaryPath">The summary that lists every deciding finding (each service has its own with several).</param>
    public string FailureMessage(string image, string summaryPath)
    {
        var text = new StringBuilder()
            .Append($"The scan of {image} found {Deciding.Count} finding(s) at {FailOn.ToTrivyName()} or above ({Counts}).");
        text.Append("\nTop findings:");
        foreach (var finding in Deciding.Take(TopFindings)) text.Append("\n  ").Append(finding.ToLine());
        if (Deciding.Count > TopFindings) text.Append($"\n  … and {Deciding.Count - TopFindings} more ({summaryPath})");
        if (Expired.Count > 0)
            text.Append("\nExpired policy entries (no longer ignoring): ").Append(string.Join("; ", Expired));
        text.Append("\nFix: update the affected packages or base image and rebuild, or accept a risk with an entry (id, reason, expires) in the scan policy.");
        return text.ToString();
    }
}
